#!/usr/bin/env python3
"""Writes the synthetic sample export of the questionnaire app in examples/esm-export/.

SYNTHETIC: invented answers for the example participants P01 and P02 (app ids 5001 and 5002),
in the column layout of an Avicenna/Ethica export: one CSV per questionnaire, one row per
session, the app's timestamp style (2023-05-14 08:31:05.385000+00:00). Deterministic: running it
again writes the same bytes. The mapping that reads it is examples/esm-mapping.json.
"""
import csv, datetime, os, random

OUT = os.path.join(os.path.dirname(__file__), "..", "examples", "esm-export")
SESSION = ["Participant Id", "Session", "Scheduled Time", "Prompt Time", "Start Time", "End Time", "Record Time", "Expiry Time", "Status"]
rng = random.Random(20230514)


def stamp(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + "%06d" % t.microsecond + "+00:00" if t else ""


def session(pid, n, prompt, status):
    """The app's session columns for one prompt on a Sunday morning."""
    start = end = record = None
    if status in ("Completed", "Partially Completed"):
        start = prompt + datetime.timedelta(minutes=rng.randint(2, 150), seconds=rng.randint(0, 59), microseconds=rng.randint(0, 999) * 1000)
        end = start + datetime.timedelta(minutes=rng.randint(2, 9), seconds=rng.randint(0, 59))
        record = end + datetime.timedelta(seconds=rng.randint(1, 20))
    return [pid, n, stamp(prompt), stamp(prompt + datetime.timedelta(seconds=rng.randint(0, 3))), stamp(start), stamp(end),
            stamp(record), stamp(prompt + datetime.timedelta(hours=12)), status]


def main():
    os.makedirs(OUT, exist_ok=True)
    basic, retro, pro = [], [], []
    names = {"5001": ["Politie Amsterdam", "Veilig Thuis", "de huisarts", "Slachtofferhulp"],
             "5002": ["Veilig Thuis Amsterdam", "Huisarts West", "SHN"]}
    items = ["Ik voelde me gehoord", "Ik werd serieus genomen", "Ik kreeg duidelijke informatie"]
    for pid in ("5001", "5002"):
        sunday = datetime.datetime(2023, 5, 14, 8, 30, tzinfo=datetime.timezone.utc)
        for week in range(8):
            prompt = sunday + datetime.timedelta(weeks=week)
            status = rng.choice(["Completed"] * 6 + ["Expired", "Unanswered"])
            contact_last_week = status == "Completed" and rng.random() < 0.6
            planned_next_week = status == "Completed" and rng.random() < 0.5
            basic.append(session(pid, week + 1, prompt, status) + ["Ja" if contact_last_week else ("Nee" if status == "Completed" else ""),
                                                                     "Ja" if planned_next_week else ("Nee" if status == "Completed" else "")])
            if contact_last_week:
                p2 = prompt + datetime.timedelta(minutes=20)
                st = rng.choice(["Completed"] * 5 + ["Expired"])
                row = session(pid, week + 1, p2, st)
                if st == "Completed":
                    day = (prompt - datetime.timedelta(days=rng.randint(1, 6))).date().isoformat()
                    scores = [str(rng.randint(0, 5)) for _ in items]
                    scores[rng.randint(0, 2)] = ""  # an item left blank
                    row += [rng.choice(names[pid]), day, rng.choice(["Goed gesprek", "Moest mijn verhaal opnieuw doen", ""])] + scores
                else:
                    row += ["", "", ""] + [""] * len(items)
                retro.append(row)
            if planned_next_week:
                p3 = prompt + datetime.timedelta(minutes=40)
                st = rng.choice(["Completed"] * 5 + ["Canceled"])
                row = session(pid, week + 1, p3, st)
                if st == "Completed":
                    day = (prompt + datetime.timedelta(days=rng.randint(1, 7))).date().isoformat()
                    row += [rng.choice(names[pid]), day, rng.choice(["zelf", "vrienden", "Politie Amsterdam", "de huisarts"]),
                            rng.choice(["veiligheid", "informatie; erkenning", "iemand die luistert"]), str(rng.randint(1, 5))]
                    row += [str(rng.randint(1, 5)) for _ in items]
                else:
                    row += ["", "", "", "", ""] + [""] * len(items)
                pro.append(row)
    def write(name, header, rows):
        with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(rows)
    write("Wekelijkse vragenlijst.csv", SESSION + ["Contact met organisatie vorige week?", "Contact met organisatie volgende week?"], basic)
    write("Na het contact.csv", SESSION + ["Met welke organisatie had je contact?", "Wanneer was het contact?", "Hoe ging het?"] + items, retro)
    write("Voor het contact.csv", SESSION + ["Met welke organisatie heb je contact?", "Wanneer is het contact?", "Hoe ben je daar terechtgekomen?",
                                            "Wat heb je nodig?", "In hoeverre kunnen zij daarin voorzien? (0-5)"] + items, pro)


if __name__ == "__main__":
    main()
