#!/usr/bin/env bash
# The whole test suite: builds what is missing, runs every test of the Release build, then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs the unit tests, the bad-input corpus and
# a short simulation under them (SimGrid runs with thread contexts there, which ASan can follow).
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
