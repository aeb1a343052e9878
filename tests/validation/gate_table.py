#!/usr/bin/env python3
"""Tabulates several gate runs (validation.json files of `prepsim validate`, schema prepsim-validation/v2) for
docs/validation.md: one row per run with each point's verdict and error, then the mean signed error and the worst
|error| over the runs' points with a verdict.
usage: gate_table.py RUN1.json [RUN2.json ...]   (the gate's exit code and wall time go in by hand: gate.log)"""
import json
import sys


def short(name):
    return name.replace("validation-", "")


def main(paths):
    runs = [json.load(open(p)) for p in paths]
    points = [(short(p["scenario"]), p["threads"]) for p in runs[0]["points"]]
    head = ["run", "gate"] + [f"{s} {t}T" for s, t in points] + ["planted decode=1.3"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    errors = []
    mark = {"pass": "pass", "fail": "FAIL", "inconclusive": "inc."}
    for i, run in enumerate(runs, 1):
        m = run["method"]
        cells = [str(i), m.get("gate") or "-"]
        for p in run["points"]:
            e = p.get("error")
            v = p.get("verdict")
            cells.append(f"{mark.get(v, v)} {e * 100:+.1f}%" if e is not None else f"{mark.get(v, v)}")
            if v in ("pass", "fail") and e is not None:
                errors.append(e)
        cells.append(m.get("planted_check") or "-")
        print("| " + " | ".join(cells) + " |")
    if errors:
        print()
        print(f"{len(errors)} points with a verdict: mean signed error {sum(errors) / len(errors) * 100:+.1f}%, "
              f"worst |error| {max(abs(e) for e in errors) * 100:.1f}%")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
