#!/usr/bin/env python3
"""Reads a dump's process-mining logs with pm4py, as a process miner would: journey.xes and
journey.ocel.json, against the dump's CSV tables. Prints a JSON summary: event and case counts,
and the directly-follows graph of the referral events (resource and lifecycle as the activity),
whose start -> complete edges must be the referral routes of referral_network.csv.

    tools/check_process_logs.py DUMP_DIR
"""
import sys, csv, warnings, io, contextlib, json
warnings.filterwarnings("ignore")
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    import pm4py
d = sys.argv[1]
timeline = list(csv.DictReader(open(f"{d}/timeline.csv", newline="")))
referrals = list(csv.DictReader(open(f"{d}/referrals.csv", newline="")))
network = list(csv.DictReader(open(f"{d}/referral_network.csv", newline="")))
participants = list(csv.DictReader(open(f"{d}/participants.csv", newline="")))
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    log = pm4py.read_xes(f"{d}/journey.xes")
    ocel = pm4py.read_ocel2_json(f"{d}/journey.ocel.json")
out = {"xesEvents": len(log), "xesCases": int(log["case:concept:name"].nunique()), "timeline": len(timeline), "referrals": len(referrals),
       "participants": len(participants), "ocelEvents": len(ocel.events), "ocelObjects": len(ocel.objects),
       "ocelReferrals": int((ocel.objects["ocel:type"] == "referral").sum()), "ocelParticipants": int((ocel.objects["ocel:type"] == "participant").sum())}
# The referral events, their resource with the lifecycle as the activity: every start->complete edge is a route.
ref = log[log["journey:type"] == "referral"].copy()
ref["route"] = ref["org:resource"] + " (" + ref["lifecycle:transition"] + ")"
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    dfg, _, _ = pm4py.discover_dfg(ref, activity_key="route", case_id_key="case:concept:name", timestamp_key="time:timestamp")
routes = {(a[:-len(" (start)")], b[:-len(" (complete)")]): n for (a, b), n in dfg.items() if a.endswith(" (start)") and b.endswith(" (complete)")}
busiest_dfg = max(routes.items(), key=lambda kv: (kv[1], kv[0]))
busiest_net = max([((r["from"], r["to"]), int(r["referrals"])) for r in network], key=lambda kv: (kv[1], kv[0]))
out["busiestDfg"] = list(busiest_dfg[0]) + [busiest_dfg[1]]
out["busiestNetwork"] = list(busiest_net[0]) + [busiest_net[1]]
out["routesEqual"] = routes == {(r["from"], r["to"]): int(r["referrals"]) for r in network}
print(json.dumps(out))
