#!/usr/bin/env bash
# `prepsim validate` runs end to end on a tiny dataset (2 chunks, 2 passes, 1 thread) and prints its JSON document
# (schema prepsim-validation/v2) with every timed pass recorded. Not the timed gate: no tolerance is checked here.
set -euo pipefail
prepsim=$1 scenario=$2 calibration=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" validate "$scenario" --calibration "$calibration" --chunks 2 --passes 2 --warmup 0 --retry-budget 0 \
  --threads 1 --json -o "$tmp/out" > "$tmp/out.json" 2> "$tmp/err.txt"
python3 - "$tmp/out.json" "$tmp/out/validation.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc == json.load(open(sys.argv[2])), "stdout and validation.json differ"
assert doc["schema"] == "prepsim-validation/v2", doc
(p,) = doc["points"]
assert p["threads"] == 1 and p["predicted"] > 0, p
assert len(p["passes"]) == 2, p["passes"]
for r in p["passes"]:
    assert r["throughput"] > 0 and r["seconds"] > 0 and set(r) >= {"cpu_share", "others_cores", "steal_cores",
                                                                     "sentinel_ratio", "usable"}, r
if p["measured"] is not None:
    assert abs(p["error"] - (p["predicted"] - p["measured"]) / p["measured"]) < 1e-9, p
assert p["verdict"] is None, p  # no tolerance: no verdict
print("validate ran:", p["scenario"], p["measured"], p["predicted"])
PY
"$prepsim" validate "$scenario" --threads x > /dev/null 2>&1 && { echo "a bad --threads was accepted"; exit 1; }
echo ok
