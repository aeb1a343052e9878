#!/usr/bin/env bash
# One scope convention for every run (docs/metrics.md, Scopes): the server hosting a pool's devices is in the fleet
# like the pools' own hosts, so PreSto's storage server counts on both sides: as `fleet` in the cpu scenarios (a
# storage pool) and in the isp ones, where only its SmartSSD is in a pool (a regression test: it once counted as
# `other` there).
# usage: scopes_check.sh PREPSIM SOURCE_DIR
set -euo pipefail
prepsim=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in presto/rm5-cpu presto/rm5-isp examples/isp_fallback examples/fpga_card; do
  "$prepsim" run "$src/scenarios/$s.yaml" --set run.warmup=1s --set run.duration=2s -o "$tmp/${s//\//-}" > /dev/null
done
python3 - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
def scopes(name):
    return {r["device"]: r["scope"] for r in csv.DictReader(open(f"{tmp}/{name}/devices.csv"))}
want = {
    "presto-rm5-cpu": {"storage-0": "fleet", "storage-0-tx": "fleet", "cpu-0": "fleet", "gpu-0": "trainer"},
    # storage-0 is in no pool here: it hosts the SmartSSD, so it and its NIC go with it.
    "presto-rm5-isp": {"storage-0": "fleet", "storage-0-tx": "fleet", "ssd-0": "fleet", "gpu-0": "trainer"},
    "examples-isp_fallback": {"storage-0": "fleet", "ssd-0": "fleet", "ssd-1": "fleet"},
    # the U280's server is a pool host anyway; the SmartSSDs of the same platform are unused here
    "examples-fpga_card": {"cpu-0": "fleet", "fpga-0": "fleet", "fpga-0-pcie-tx": "fleet", "ssd-0": "other"},
}
bad = []
for run, expected in want.items():
    got = scopes(run)
    for device, scope in expected.items():
        if got.get(device) != scope:
            bad.append(f"{run}: {device} is {got.get(device)}, expected {scope}")
for b in bad:
    print("FAIL:", b)
print("scopes: " + ("as documented" if not bad else f"{len(bad)} wrong"))
sys.exit(1 if bad else 0)
PY
