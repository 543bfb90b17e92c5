#!/usr/bin/env python3
"""Time two builds of `journey` against each other on one store, alternating run by run, so
both see the same minutes of a noisy host: a full rebuild of the projections
(`journey bench rebuild`, its own process) and a CSV dump (`journey dump`, fresh directory),
each timed as a whole process. Prints every run, the medians and the ratio.

    tools/compare_builds.py OLD_JOURNEY NEW_JOURNEY [--store DIR] [--runs N]

Build an earlier commit with, for example:
    git worktree add /tmp/old <commit> && (cd /tmp/old && swift build -c release --static-swift-stdlib)
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(command):
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="the earlier journey binary")
    parser.add_argument("new", help="the later journey binary")
    parser.add_argument("--store", default="/tmp/journey-bench/lmdb-store", help="store to measure (default: the one `journey bench run` leaves)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each measure per build (default 7)")
    args = parser.parse_args()
    for binary in (args.old, args.new):
        if not os.access(binary, os.X_OK):
            sys.exit(f"{binary}: not an executable")
    if not os.path.isdir(args.store):
        sys.exit(f"{args.store}: no such store (run `journey bench run` first)")

    builds = {"old": args.old, "new": args.new}
    measures = {
        "rebuild": lambda b, out: [b, "bench", "rebuild", "--store", args.store],
        "dump": lambda b, out: [b, "dump", "--store", args.store, "--out", out],
    }
    # Bring the projection state up to date so no run pays for a catch-up.
    timed([args.new, "stats", "--store", args.store])
    results = {(m, k): [] for m in measures for k in builds}
    work = tempfile.mkdtemp(prefix="journey-compare-")
    try:
        for run in range(1, args.runs + 1):
            for measure, command in measures.items():
                order = ["old", "new"] if run % 2 else ["new", "old"]
                for key in order:
                    out = os.path.join(work, "dump")
                    shutil.rmtree(out, ignore_errors=True)
                    seconds = timed(command(builds[key], out))
                    results[(measure, key)].append(seconds)
                    print(f"run {run}  {measure:7} {key}: {seconds:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    for measure in measures:
        old = statistics.median(results[(measure, "old")])
        new = statistics.median(results[(measure, "new")])
        print(f"{measure:7} median of {args.runs}: old {old:.2f} s, new {new:.2f} s, new/old {new / old:.2f}")


if __name__ == "__main__":
    main()
