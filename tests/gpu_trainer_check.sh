#!/usr/bin/env bash
# Preprocessing on the trainer's own GPU takes time from training: the same scenario with the ops on the training
# A100 must train slower than with them on the CPU pool (which has capacity to spare), and the GPU host must show
# the preprocessing work.
# usage: gpu_trainer_check.sh PREPSIM SCENARIO
set -euo pipefail
prepsim=$1 scenario=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$prepsim" run "$scenario" -o "$tmp/gpu" > /dev/null
"$prepsim" run "$scenario" -o "$tmp/cpu" --set pipeline.log.on=cpu --set pipeline.bucketize.on=cpu \
  --set pipeline.sigrid_hash.on=cpu > /dev/null
python3 - "$tmp/gpu/report.json" "$tmp/cpu/report.json" <<'PY'
import json, sys
gpu, cpu = (json.load(open(p)) for p in sys.argv[1:3])
xg, xc = gpu["throughput_samples_per_s"], cpu["throughput_samples_per_s"]
print(f"training throughput: ops on the trainer GPU {xg:.0f}, on the CPU {xc:.0f} samples/s")
assert cpu["jobs"][0]["stall_mean_fraction"] < 0.001, "the CPU placement must not stall (the reference)"
assert xg < xc, "preprocessing on the trainer GPU must lower training throughput"
PY
