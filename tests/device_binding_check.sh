#!/usr/bin/env bash
# The table of docs/devices.md ("What binds each device") is what scenarios/sweeps/device_binding.yaml gives: the
# code, the sweep and the doc agree on what binds each device kind. Regenerate the doc's table with the
# commands it shows when a device model moves on purpose.
# usage: device_binding_check.sh PREPSIM SOURCE_DIR
set -euo pipefail
prepsim=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" sweep "$src/scenarios/sweeps/device_binding.yaml" -j 2 -o "$tmp/sweep" > "$tmp/log" 2>&1 \
  || { cat "$tmp/log"; exit 1; }
python3 "$src/scenarios/sweeps/device_binding_table.py" "$tmp/sweep/sweep.db" > "$tmp/table.md"
sed -n '/^<!-- device_binding table/,/^<!-- end of device_binding table/p' "$src/docs/devices.md" | sed '1d;$d' \
  > "$tmp/doc.md"
diff -u "$tmp/doc.md" "$tmp/table.md" || { echo "docs/devices.md's table differs from the sweep's"; exit 1; }
echo "docs/devices.md: the device-binding table matches the sweep"
