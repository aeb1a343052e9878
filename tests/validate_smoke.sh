#!/usr/bin/env bash
# `prepsim validate` runs end to end on a tiny dataset (2 chunks, 1 pass, 1 thread) and prints its JSON list with
# the five documented keys. Not the timed gate: no tolerance is checked here.
set -euo pipefail
prepsim=$1 scenario=$2 calibration=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" validate "$scenario" --calibration "$calibration" --chunks 2 --reps 1 --warmup 0 --retry-budget 0 --threads 1 --json \
  -o "$tmp/out" > "$tmp/out.json" 2> "$tmp/err.txt"
python3 - "$tmp/out.json" <<'PY'
import json, sys
points = json.load(open(sys.argv[1]))
assert len(points) == 1, points
p = points[0]
assert list(p) == ["scenario", "threads", "measured", "predicted", "error"], p
assert p["threads"] == 1 and p["measured"] > 0 and p["predicted"] > 0, p
assert abs(p["error"] - (p["predicted"] - p["measured"]) / p["measured"]) < 1e-9, p
print("validate ran:", p)
PY
"$prepsim" validate "$scenario" --threads x > /dev/null 2>&1 && { echo "a bad --threads was accepted"; exit 1; }
echo ok
