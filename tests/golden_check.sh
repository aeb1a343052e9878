#!/usr/bin/env bash
# Runs a scenario and compares its console summary and CSV tables with the golden copies, byte for byte.
# usage: golden_check.sh PREPSIM SCENARIO GOLDEN_DIR [--regenerate]
set -euo pipefail
prepsim=$1 scenario=$2 golden=$3 mode=${4:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" run "$scenario" -o "$tmp/out" > "$tmp/summary.txt"
files=(summary.txt out/jobs.csv out/attribution.csv out/resources.csv out/devices.csv out/scopes.csv)
if [ "$mode" = "--regenerate" ]; then
  mkdir -p "$golden"
  for f in "${files[@]}"; do cp "$tmp/$f" "$golden/$(basename "$f")"; done
  echo "regenerated $golden"
  exit 0
fi
status=0
for f in "${files[@]}"; do
  if ! diff -u "$golden/$(basename "$f")" "$tmp/$f"; then
    echo "golden mismatch: $golden/$(basename "$f") (regenerate on purpose with tests/regenerate_golden.sh)"
    status=1
  fi
done
exit $status
