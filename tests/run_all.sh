#!/usr/bin/env bash
# The whole test suite: builds what is missing, runs every test of the Release build, then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs the unit tests, the bad-input corpus and
# a short simulation under them (SimGrid runs with thread contexts there, which ASan can follow), fuzzes every
# input reader for a fixed time (tests/fuzz/run_ci.sh: clang + libFuzzer in build-fuzz/, about 2 minutes plus its
# build), and ends with the validation gate on the Release build (the one timed check, tests/validation/gate.sh).
# Usage: bash tests/run_all.sh [--no-sanitizers]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$jobs"
if [ "${1:-}" != "--no-sanitizers" ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPREPSIM_SANITIZE=ON > /dev/null
  cmake --build build-asan -j "$jobs" --target prepsim prepsim_unit_tests
  echo "== sanitizers (ASan + UBSan): unit tests, bad input, a short simulation"
  ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" -L 'unit|bad_input|sanitize'
fi
echo "== all tests (Release)"
ctest --test-dir build --output-on-failure -j "$jobs"
if [ "${1:-}" != "--no-sanitizers" ]; then
  echo "== fuzzing (libFuzzer, ${PREPSIM_FUZZ_SECONDS:-20} s per input reader)"
  bash tests/fuzz/run_ci.sh
fi
# The validation gate (docs/validation.md), after every other test and only on the Release build: calibrate this
# host into build/calibration/host.json, then run the validation suite for real at 1 and 2 threads and compare
# with the model against tests/validation/tolerance.yaml. It prints its table; it fails on any point outside the
# tolerance or not measured cleanly. About 1.5 minutes on a quiet 2-core VM, at most about 6 on a busy one.
echo "== validation gate (Release): calibrate this host, validate scenarios/validation/ at 1 and 2 threads"
bash tests/validation/gate.sh build
