#!/usr/bin/env bash
# Regenerates the golden outputs of every shipped scenario (scenarios/examples/ and scenarios/presto/) and of
# `prepsim reproduce presto --json`, on purpose. Review `git diff tests/golden` after.
# usage: tests/regenerate_golden.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: tests/regenerate_golden.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
for scenario in "$here"/../scenarios/examples/*.yaml; do
  name=$(basename "$scenario" .yaml)
  bash "$here/golden_check.sh" "$build/prepsim" "$scenario" "$here/golden/$name" --regenerate
done
for scenario in "$here"/../scenarios/presto/*.yaml; do
  name=$(basename "$scenario" .yaml)
  [ "$name" = fitted ] && continue
  bash "$here/golden_check.sh" "$build/prepsim" "$scenario" "$here/golden/presto/$name" --regenerate
done
bash "$here/presto_check.sh" "$build/prepsim" "$here" --regenerate
