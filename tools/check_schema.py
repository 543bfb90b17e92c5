#!/usr/bin/env python3
"""Check JSON Lines files against Schemas/event.schema.json (JSON Schema 2020-12), and that the
schema's taxonomy codes are those of Schemas/taxonomy.json.

    python3 tools/check_schema.py FILE...      exit 0 if every line is valid, else 1
    python3 tools/check_schema.py --invalid FILE...   exit 0 if every line is INVALID
"""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "Schemas/event.schema.json").read_text())
taxonomy = json.loads((root / "Schemas/taxonomy.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
assert schema["$defs"]["taxonomyCode"]["enum"] == [c["code"] for c in taxonomy["categories"]], "taxonomy codes differ"
validator = jsonschema.Draft202012Validator(schema)

args = sys.argv[1:]
want_invalid = bool(args) and args[0] == "--invalid"
files = args[1:] if want_invalid else args
bad = 0
for name in files:
    for number, line in enumerate(pathlib.Path(name).read_text(encoding="utf-8-sig").split("\n"), 1):
        if not line.strip():
            continue
        errors = list(validator.iter_errors(json.loads(line)))
        if want_invalid and not errors:
            print(f"{name}:{number}: valid, expected invalid")
            bad += 1
        elif not want_invalid and errors:
            print(f"{name}:{number}: {errors[0].message}")
            bad += 1
sys.exit(1 if bad else 0)
