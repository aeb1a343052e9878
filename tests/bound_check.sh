#!/usr/bin/env bash
# The simulated throughput of a scenario is within a relative tolerance of its analytic bound.
# usage: bound_check.sh PREPSIM SCENARIO TOLERANCE
set -euo pipefail
prepsim=$1 scenario=$2 tol=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" run "$scenario" -o "$tmp/out" > /dev/null
python3 - "$tmp/out/report.json" "$tol" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); tol = float(sys.argv[2])
x = r["throughput_samples_per_s"]; b = r["analytic_bound"]["samples_per_s"]
err = abs(x - b) / b
print(f"simulated {x:.1f} samples/s, bound {b:.1f} samples/s ({r['analytic_bound']['bottleneck']}), error {100*err:.3f}%")
sys.exit(0 if err <= tol else 1)
PY
