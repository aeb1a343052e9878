#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz/ for a fixed time each (docs/fuzzing.md):
#   bash tests/fuzz/run.sh SECONDS [--merge]
# Builds them first in build-fuzz/ (clang, -DPREPSIM_FUZZ=ON). Each target starts from its corpus in
# tests/fuzz/corpus/<target>/ and the shipped inputs that suit it (scenarios, platforms, the bad-input corpus),
# with its dictionary; what it finds new goes to a temporary folder, or with --merge into tests/fuzz/corpus/ (the
# inputs that add coverage only). A crash, a leak, a timeout (10 s per input) or UBSan's report fails the run; the
# input is kept in build-fuzz/artifacts/ (turn it into a bad-input test). Exit 0 when every target ran clean.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:?usage: run.sh SECONDS [--merge]}
merge=${2:-}
jobs=$(nproc)

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPREPSIM_FUZZ=ON > /dev/null
cmake --build build-fuzz -j "$jobs" > build-fuzz/build.log 2>&1 || { tail -n 30 build-fuzz/build.log; exit 1; }

seeds() {  # the seed folders of target $1
  local t=$1
  echo "tests/fuzz/corpus/$t"
  case $t in
    yaml) echo scenarios/examples scenarios/presto scenarios/sweeps platforms ;;
    scenario) echo scenarios/examples scenarios/presto tests/bad_input ;;
    sweep) echo scenarios/sweeps ;;
    platform) echo platforms/examples platforms/presto tests/bad_input ;;
  esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/prepsim-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p build-fuzz/artifacts
failed=()
passed=0
for t in units yaml scenario overrides sweep platform; do
  dict=tests/fuzz/scenario.dict
  [ "$t" = platform ] && dict=tests/fuzz/platform.dict
  [ "$t" = units ] && dict=
  mkdir -p "$work/$t"
  # Seed folders hold files of every kind (a platform folder has .md files...): each target takes only its own.
  seed_dirs=()
  for d in $(seeds "$t"); do
    mkdir -p "$work/seed-$t"
    if [ "$d" = "tests/fuzz/corpus/$t" ]; then  # the target's own corpus: every file (libFuzzer names them by hash)
      find "$d" -maxdepth 1 -type f -exec cp {} "$work/seed-$t/" \;
      continue
    fi
    case $t in
      platform) find "$d" -maxdepth 1 -type f -name '*.xml' -exec cp {} "$work/seed-$t/" \; ;;
      *) find "$d" -maxdepth 1 -type f \( -name '*.yaml' -o -name '*.yml' \) -exec cp {} "$work/seed-$t/" \; ;;
    esac
  done
  seed_dirs+=("$work/seed-$t")
  echo "== fuzz_$t: ${seconds}s from $(ls "$work/seed-$t" | wc -l) seeds"
  if build-fuzz/fuzz_$t -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       ${dict:+-dict=$dict} -artifact_prefix="build-fuzz/artifacts/$t-" "$work/$t" "${seed_dirs[@]}" \
       > "$work/$t.log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$work/$t.log" | tr '\n' ' '
    echo
    passed=$((passed + 1))
    if [ "$merge" = --merge ]; then
      build-fuzz/fuzz_$t -merge=1 "tests/fuzz/corpus/$t" "$work/$t" > "$work/$t.merge.log" 2>&1
      echo "   corpus: $(ls "tests/fuzz/corpus/$t" | wc -l) inputs in tests/fuzz/corpus/$t"
    fi
  else
    echo "FAIL: fuzz_$t found a problem:"
    grep -E 'ERROR|SUMMARY|Test unit written|runtime error' "$work/$t.log" | head -n 10
    failed+=("$t")
  fi
done
echo "fuzz: ${passed} passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
