#!/usr/bin/env bash
# `prepsim --help` lists the subcommands and `prepsim run --help` every option with its default.
set -euo pipefail
prepsim=$1
top=$("$prepsim" --help)
for sub in run; do grep -q "$sub" <<<"$top" || { echo "--help does not list '$sub'"; exit 1; }; done
run=$("$prepsim" run --help)
for opt in -o,--out --set --seed --cfg "default.yaml" "network/model:CM02"; do
  grep -q -- "$opt" <<<"$run" || { echo "run --help does not show '$opt'"; echo "$run"; exit 1; }
done
echo ok
