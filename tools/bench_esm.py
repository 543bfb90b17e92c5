#!/usr/bin/env python3
"""Times `journey import-esm` of a synthetic app export of PARTICIPANTS x WEEKS x 3 questionnaires
(issue 21's speed target: 1,000 x 52 under 10 s), into an empty store, RUNS times; prints each
run and the median.

    tools/bench_esm.py [--journey .build/release/journey] [--participants 1000] [--weeks 52] [--runs 3]
"""
import argparse, datetime, json, os, random, shutil, statistics, subprocess, tempfile, time

HEAD = ["Participant Id", "Session", "Scheduled Time", "Prompt Time", "Start Time", "End Time", "Record Time", "Expiry Time", "Status"]


def stamp(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + "%06d" % t.microsecond + "+00:00" if t else ""


def write(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")


def export(folder, participants, weeks, rng):
    names = ["Politie", "Veilig Thuis", "Huisarts", "Slachtofferhulp", "GGZ"]
    basic, retro, pro = [], [], []
    for p in range(participants):
        pid = str(10000 + p)
        for w in range(weeks):
            for rows, minute, extra in ((basic, 30, "basic"), (retro, 50, "retro"), (pro, 70, "pro")):
                prompt = datetime.datetime(2023, 1, 1, 8, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(weeks=w, minutes=minute)
                done = rng.random() < 0.8
                start = prompt + datetime.timedelta(minutes=rng.randint(2, 120)) if done else None
                row = [pid, w + 1, stamp(prompt), stamp(prompt), stamp(start), stamp(start and start + datetime.timedelta(minutes=4)),
                       stamp(start and start + datetime.timedelta(minutes=5)), stamp(prompt + datetime.timedelta(hours=12)),
                       "Completed" if done else "Expired"]
                day = (prompt.date() - datetime.timedelta(days=2)).isoformat()
                if extra == "basic":
                    row += ["Ja" if done and rng.random() < 0.5 else ("Nee" if done else ""), "Nee" if done else ""]
                elif extra == "retro":
                    row += [rng.choice(names), day, "ok", rng.randint(0, 5), rng.randint(0, 5)] if done else ["", "", "", "", ""]
                else:
                    row += [rng.choice(names), day, "zelf", "informatie", rng.randint(0, 5), rng.randint(0, 5), rng.randint(0, 5)] if done \
                        else ["", "", "", "", "", "", ""]
                rows.append(row)
    write(f"{folder}/Basis.csv", HEAD + ["Vorige week?", "Volgende week?"], basic)
    write(f"{folder}/Na.csv", HEAD + ["Organisatie", "Wanneer", "Hoe", "Gehoord", "Serieus"], retro)
    write(f"{folder}/Voor.csv", HEAD + ["Organisatie", "Wanneer", "Hoe terecht", "Nodig", "Voorzien", "Gehoord", "Serieus"], pro)
    cols = dict(zip(["participant", "scheduled", "prompted", "started", "ended", "recorded", "expires", "status"],
                    [HEAD[0]] + HEAD[2:]))
    return {
        "columns": cols, "statuses": {"Completed": "completed", "Expired": "expired"},
        "aliases": {n.lower(): n.lower().replace(" ", "-") for n in names} | {"zelf": "self"},
        "questionnaires": [
            {"file": "Basis.csv", "kind": "basic", "ignored": ["Session"],
             "answers": {"contactLastWeek": "Vorige week?", "contactNextWeek": "Volgende week?"}},
            {"file": "Na.csv", "kind": "retrospective", "ignored": ["Session"],
             "answers": {"institution": "Organisatie", "date": "Wanneer", "summary": "Hoe"},
             "statements": {"listened": "Gehoord", "took-seriously": "Serieus"}},
            {"file": "Voor.csv", "kind": "prospective", "ignored": ["Session"], "routesAsReferrals": True,
             "answers": {"institution": "Organisatie", "date": "Wanneer", "cameVia": "Hoe terecht", "needs": "Nodig",
                         "expectedFulfilment": "Voorzien"},
             "statements": {"listened": "Gehoord", "took-seriously": "Serieus"}},
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journey", default=".build/release/journey")
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="journey-bench-esm-")
    try:
        folder = f"{work}/export"
        os.makedirs(folder)
        mapping = export(folder, args.participants, args.weeks, random.Random(7))
        with open(f"{work}/mapping.json", "w") as f:
            json.dump(mapping, f)
        seconds = []
        for run in range(args.runs):
            store = f"{work}/store{run}"
            start = time.monotonic()
            result = subprocess.run([args.journey, "import-esm", folder, "--mapping", f"{work}/mapping.json", "--store", store],
                                    capture_output=True, text=True)
            seconds.append(time.monotonic() - start)
            if result.returncode != 0:
                raise SystemExit(result.stderr)
            print(f"run {run + 1}: {seconds[-1]:.2f} s  {result.stdout.strip()}")
        print(f"median of {args.runs}: {statistics.median(seconds):.2f} s for {args.participants} participants x {args.weeks} weeks x 3 questionnaires")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
