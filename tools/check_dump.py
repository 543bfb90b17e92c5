#!/usr/bin/env python3
"""Cross-checks a `journey dump --format all` directory with third-party readers.

Every format must hold exactly what the CSV files hold:
  - datapackage.json passes `frictionless validate` (types, keys, foreign keys, coded values);
  - each <table>.jsonl equals its CSV, typed as the data package says;
  - journey.sqlite (read with Python's sqlite3 and with DuckDB, opened by the sqlite3 shell)
    equals the CSVs, its keys hold, and its data_dictionary equals the data package;
  - each <table>.sav and <table>.dta (read with pyreadstat) equals its CSV, with the variable
    labels and the value labels of the data package (English, or Dutch with --labels nl);
  - manifest.json lists every file with its SHA-256.
Prints one line per check and exits 1 at the first difference.

usage: check_dump.py DIR [--labels en|nl]
"""
import csv, datetime, hashlib, json, math, os, sqlite3, subprocess, sys

import duckdb, duckdb_extensions, frictionless, pyreadstat

SPSS_RESERVED = {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}


def fail(message):
    print("check_dump: " + message, file=sys.stderr)
    sys.exit(1)


def typed(value, field):
    """A CSV cell as the data package types it; None when missing."""
    if value == "":
        return None
    t = field["type"]
    if t == "integer":
        return int(value)
    if t == "number":
        return float(value)
    if t == "boolean":
        return {"true": True, "false": False}[value]
    return value


def main():
    directory = sys.argv[1]
    labels = "nl" if "--labels" in sys.argv and sys.argv[sys.argv.index("--labels") + 1] == "nl" else "en"
    package_path = os.path.join(directory, "datapackage.json")
    report = frictionless.validate(package_path)
    if not report.valid:
        errors = [e.message for task in report.tasks for e in task.errors][:5] + [e.message for e in report.errors][:5]
        fail("frictionless: " + "; ".join(errors))
    print("frictionless validate: valid")
    package = json.load(open(package_path))

    tables = {}
    for resource in package["resources"]:
        with open(os.path.join(directory, resource["path"]), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        fields = resource["schema"]["fields"]
        if rows[0] != [f["name"] for f in fields]:
            fail(resource["path"] + ": header differs from the data package")
        tables[resource["path"][:-4]] = (fields, [[typed(v, f) for v, f in zip(row, fields)] for row in rows[1:]])

    for name, (fields, rows) in tables.items():
        with open(os.path.join(directory, name + ".jsonl"), encoding="utf-8") as f:
            objects = [json.loads(line) for line in f]
        if [list(o.keys()) for o in objects] != [[f["name"] for f in fields]] * len(objects):
            fail(name + ".jsonl: keys differ from the columns")
        if [list(o.values()) for o in objects] != rows:
            fail(name + ".jsonl: values differ from " + name + ".csv")
    print("jsonl: every table equals its CSV")

    def as_sql(value, field):
        return int(value) if field["type"] == "boolean" and value is not None else value

    db = sqlite3.connect(os.path.join(directory, "journey.sqlite"))
    duck = duckdb.connect()
    duckdb_extensions.import_extension("sqlite_scanner")
    duck.execute("LOAD sqlite_scanner")
    duck.execute("ATTACH '%s' AS dump (TYPE sqlite, READ_ONLY)" % os.path.join(directory, "journey.sqlite"))
    for name, (fields, rows) in tables.items():
        expected = [tuple(as_sql(v, f) for v, f in zip(row, fields)) for row in rows]
        if db.execute('SELECT * FROM "%s" ORDER BY rowid' % name).fetchall() != expected:
            fail("journey.sqlite: table %s differs from %s.csv" % (name, name))
        if sorted(duck.sql('SELECT * FROM dump."%s"' % name).fetchall(), key=repr) != sorted(expected, key=repr):
            fail("DuckDB: table %s differs from %s.csv" % (name, name))
        dictionary = db.execute("SELECT column_name, type, description FROM data_dictionary WHERE table_name = ? ORDER BY position", (name,)).fetchall()
        if dictionary != [(f["name"], f["type"], f["description"]) for f in fields]:
            fail("journey.sqlite: data_dictionary of %s differs from the data package" % name)
    if db.execute("PRAGMA foreign_key_check").fetchall():
        fail("journey.sqlite: foreign keys violated")
    shell = subprocess.run(["sqlite3", "-readonly", os.path.join(directory, "journey.sqlite"),
                            "PRAGMA integrity_check; SELECT count(*) FROM timeline;"], capture_output=True, text=True)
    if shell.returncode != 0 or shell.stdout.split() != ["ok", str(len(tables["timeline"][1]))]:
        fail("sqlite3 shell: %s%s" % (shell.stdout, shell.stderr))
    print("sqlite: every table equals its CSV (Python sqlite3 and DuckDB), the sqlite3 shell opens it, dictionary equals the data package")

    for ext, reader in ((".sav", pyreadstat.read_sav), (".dta", pyreadstat.read_dta)):
        for name, (fields, rows) in tables.items():
            data, meta = reader(os.path.join(directory, name + ext), output_format="dict")
            names = [f["name"] + "_" if ext == ".sav" and f["name"].upper() in SPSS_RESERVED else f["name"] for f in fields]
            if meta.column_names != names:
                fail("%s%s: variables %s, expected %s" % (name, ext, meta.column_names, names))
            if meta.column_labels != [f["title"] for f in fields]:
                fail("%s%s: variable labels differ from the data package titles" % (name, ext))
            for column, (variable, field) in enumerate(zip(names, fields)):
                categories = field.get("categories")
                value_labels = meta.variable_value_labels.get(variable)
                if field["type"] == "boolean":
                    categories = [{"value": "false", "label": "false", "label_nl": "nee"}, {"value": "true", "label": "true", "label_nl": "ja"}]
                if categories:
                    label_key = "label_nl" if labels == "nl" else "label"
                    wanted = {c["value"]: c.get(label_key, c["label"]) for c in categories}
                    if value_labels is None or sorted(value_labels.values()) != sorted(wanted.values()):
                        fail("%s%s: value labels of %s are %s, expected %s" % (name, ext, variable, value_labels, wanted))
                for i, row in enumerate(rows):
                    expected, got = row[column], data[variable][i]
                    if isinstance(got, float) and math.isnan(got):
                        got = None
                    if got == "" and field["type"] == "string":
                        got = None
                    if categories and got is not None:
                        got = value_labels[got]
                        expected = None if expected is None else wanted[str(expected).lower()]
                    elif isinstance(got, (datetime.date, datetime.datetime)):
                        got = got.strftime("%Y-%m-%d")
                    elif isinstance(got, float) and field["type"] == "number":
                        got = round(got, 6)
                        expected = None if expected is None else round(expected, 6)
                    elif isinstance(got, float):
                        got = int(got)
                    if got != expected:
                        fail("%s%s: row %d, %s is %r, %s.csv has %r" % (name, ext, i + 1, variable, got, name, row[column]))
        print(ext[1:] + ": every table equals its CSV, with variable and value labels")

    manifest = json.load(open(os.path.join(directory, "manifest.json")))
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    on_disk = sorted(set(os.listdir(directory)) - {"manifest.json"})
    if sorted(listed) != on_disk:
        fail("manifest.json lists %s, the directory holds %s" % (sorted(listed), on_disk))
    for path, sha in listed.items():
        if hashlib.sha256(open(os.path.join(directory, path), "rb").read()).hexdigest() != sha:
            fail("manifest.json: SHA-256 of %s differs" % path)
    print("manifest: every file listed with its SHA-256")


if __name__ == "__main__":
    main()
