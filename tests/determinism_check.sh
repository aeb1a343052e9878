#!/usr/bin/env bash
# Two runs of the same scenario and seed give byte-identical outputs (report.json compared without its
# provenance and timing blocks, which hold the wall time and date).
set -euo pipefail
prepsim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in 1 2; do
  "$prepsim" run "$scenario" --seed 7 -o "$tmp/run$i" > "$tmp/summary$i.txt"
  python3 - "$tmp/run$i/report.json" > "$tmp/run$i/report.stable.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.pop("provenance"); r.pop("timing")
print(json.dumps(r, indent=1))
PY
  rm "$tmp/run$i/report.json"
done
diff -u "$tmp/summary1.txt" "$tmp/summary2.txt"
diff -ru "$tmp/run1" "$tmp/run2"
echo "identical"
