#!/usr/bin/env python3
"""The study's analyses from a JourneyStore dump with pandas, as study.R does in R.

    python3 examples/analysis/study.py DUMP_DIR        (a dump with --format all)

Loads the CSVs with the types datapackage.json declares, checks them against the SPSS files
(pyreadstat, value labels applied) and the SQLite file, and prints the study's figures as JSON
(the keys of stats.json where both report the same thing).
"""
import json
import math
import sqlite3
import sys

import pandas as pd
import pyreadstat

folder = sys.argv[1] if len(sys.argv) > 1 else "dump"
package = json.load(open(f"{folder}/datapackage.json"))
TYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "string"}


def table(name):
    resource = next(r for r in package["resources"] if r["name"] == name)
    fields = resource["schema"]["fields"]
    frame = pd.read_csv(f"{folder}/{resource['path']}", dtype={f["name"]: TYPES[f["type"]] for f in fields},
                        keep_default_na=False, na_values=[""])
    for f in fields:
        if f["type"] == "date":
            frame[f["name"]] = pd.to_datetime(frame[f["name"]])
    return frame


def half_away(x):
    return math.copysign(math.floor(abs(x) * 100 + 0.5) / 100, x)


participants, institutions, pairs, items = table("participants"), table("institutions"), table("pairs"), table("pair_items")
kinds = table("participant_kinds")

# The same data through SPSS (labels applied) and SQLite.
sav, meta = pyreadstat.read_sav(f"{folder}/participants.sav", apply_value_formats=True)
assert list(sav["institutions_mentioned"].astype(int)) == list(participants["institutions_mentioned"].astype(int))
with sqlite3.connect(f"{folder}/journey.sqlite") as db:
    sql = pd.read_sql("SELECT participant, institutions_mentioned FROM participants ORDER BY rowid", db)
assert list(sql["participant"]) == list(participants["participant"])

n = participants["institutions_mentioned"].astype(int)
mentioned = institutions[institutions["participants_mentioning"] > 0]
gap = items.merge(pairs[pairs["status"] == "paired"][["participant", "institution", "expectation_id", "experience_id"]],
                  on=["expectation_id", "experience_id"]).merge(institutions[["institution", "chain"]], on="institution")
figures = {
    "participants": len(participants),
    "institutions": len(mentioned),
    "perParticipant": {"min": int(n.min()), "max": int(n.max()), "mean": half_away(n.mean()), "median": float(n.median()),
                       "atLeast10": int((n >= 10).sum())},
    "byChain": {c: int((mentioned["chain"] == c).sum()) for c in ["legal", "help", "both", "uncoded"]},
    "byLevelClass": {c: int((mentioned["level_class"] == c).sum()) for c in ["national", "regional", "mixed", "uncoded"]},
    "participantsByKind": {k: int(v) for k, v in kinds.groupby("kind")["participant"].nunique().items()},
    "pairDeltaByChain": {c: {"items": int((gap["chain"] == c).sum()),
                             "mean": half_away(gap[gap["chain"] == c]["delta"].astype(float).mean()) if (gap["chain"] == c).any() else None}
                         for c in ["legal", "help", "both", "uncoded"]},
}
print(json.dumps(figures))
