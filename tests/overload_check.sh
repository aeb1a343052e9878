#!/usr/bin/env bash
# A run ends at its window's end whatever its load (a regression test: a gpu pool on a fast network with trainer
# demand above the disk's rate once never ended). Runs tests/scenarios/overload/KIND.yaml, whose trainer steps far faster than
# the disk and every stage can serve, and checks it exits 0 with the simulated clock stopped at warm-up + window
# and the invariants (throughput within the analytic bound and the window's edge) holding. The wall time is
# bounded by the ctest TIMEOUT of the test, not asserted here.
# usage: overload_check.sh PREPSIM SCENARIO_DIR KIND
set -euo pipefail
prepsim=$1 dir=$2 kind=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" run "$dir/$kind.yaml" -o "$tmp/out" > "$tmp/console" 2> "$tmp/err" || {
  echo "FAIL: prepsim run exited $?"; cat "$tmp/err"; exit 1; }
python3 - "$tmp/out/report.json" "$kind" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); kind = sys.argv[2]
w = r["window"]
end = w["warmup_s"] + w["measured_s"]
x, d = r["throughput_samples_per_s"], r["trainer_demand_samples_per_s"]
print(f"{kind}: clock ended at {w['simulated_s']} s (window end {end} s); throughput {x:.0f} samples/s, demand {d:.0f},"
      f" bound {r['analytic_bound']['samples_per_s']:.0f} ({r['analytic_bound']['bottleneck']})")
bad = []
if abs(w["simulated_s"] - end) > 1e-9 * end:
    bad.append("the clock did not stop at the window's end")
if not x > 0:
    bad.append("nothing reached the trainer")
if not d > 2 * x:
    bad.append("the trainer is not overloading the pipeline (demand should be well above throughput)")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
