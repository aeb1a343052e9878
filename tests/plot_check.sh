#!/usr/bin/env bash
# `prepsim plot` end to end, one CASE per ctest test (tests/cmake/plot.cmake):
#   axis | pareto | energy | plan | validation   draw PNG and SVG of that kind (PNG signature and IHDR, SVG parses
#                                                with an <svg> root) and check what the figure says (its texts)
#   bad_input       malformed inputs and arguments: exit 2, one-line message, nothing written
#   no_matplotlib   PREPSIM_PYTHON without matplotlib: exit 2 naming python3-matplotlib
# Inputs: a real sweep (scenarios/sweeps/example.yaml) and run (default scenario) made here, and the small
# hand-made fixtures in tests/plot/ (a sweep CSV with a text axis and a failed point, a plan, a validation list).
#   tests/plot_check.sh PREPSIM SOURCE_DIR CASE
set -u
prepsim=$1 src=$2 case=$3
fixtures=$src/tests/plot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/out.txt" "$tmp/err.txt"
fail() { echo "FAIL ($case): $*"; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# plot ARGS...: must succeed and say which file it wrote.
plot() {
  "$prepsim" plot "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" || fail "prepsim plot $* exited $?: $(cat "$tmp/err.txt")"
  grep -q '^prepsim plot: wrote ' "$tmp/out.txt" || fail "prepsim plot $*: no 'wrote' line: $(cat "$tmp/out.txt")"
}
check_png() {
  "$py" - "$1" <<'PY' || fail "$1 is not a valid PNG"
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
length, kind, width, height = struct.unpack(">I4sII", data[8:24])
assert kind == b"IHDR" and length == 13 and width > 100 and height > 100, (kind, width, height)
PY
}
check_svg() {
  "$py" - "$1" <<'PY' || fail "$1 is not a valid SVG"
import sys, xml.etree.ElementTree as ET
assert ET.parse(sys.argv[1]).getroot().tag == "{http://www.w3.org/2000/svg}svg"
PY
}
# says FILE TEXT...: the SVG carries each text (matplotlib writes every text as a comment beside its glyphs).
says() {
  local file=$1
  shift
  for text in "$@"; do grep -qF -- "<!-- $text -->" "$file" || fail "$file does not show '$text'"; done
}
# both INPUT KIND [ARGS...]: PNG and SVG of one kind; the SVG is byte-identical when drawn twice.
both() {
  local input=$1 kind=$2
  shift 2
  plot "$input" --kind "$kind" -o "$tmp/$kind.png" "$@"
  check_png "$tmp/$kind.png"
  plot "$input" --kind "$kind" -o "$tmp/$kind.svg" "$@"
  check_svg "$tmp/$kind.svg"
  plot "$input" --kind "$kind" -o "$tmp/again.svg" "$@"
  cmp -s "$tmp/$kind.svg" "$tmp/again.svg" || fail "$kind: two SVGs of the same input differ"
}
sweep() {
  "$prepsim" sweep "$src/scenarios/sweeps/example.yaml" -j 2 -o "$tmp/ex.sweep" >"$tmp/sweep.log" 2>&1 \
    || fail "prepsim sweep exited $?: $(cat "$tmp/sweep.log")"
}
# expect_2 TEXT ARGS...: prepsim plot ARGS exits 2 with TEXT in a one-line message and writes nothing.
expect_2() {
  local text=$1
  shift
  local before
  before=$(ls -R "$tmp" | md5sum)
  "$prepsim" plot "$@" >"$tmp/out.txt" 2>"$tmp/err.txt"
  local rc=$?
  [ $rc = 2 ] || fail "prepsim plot $* exited $rc, expected 2: $(cat "$tmp/err.txt")"
  grep -qF -- "$text" "$tmp/err.txt" || fail "prepsim plot $*: message lacks '$text': $(cat "$tmp/err.txt")"
  [ "$(wc -l <"$tmp/err.txt")" = 1 ] || fail "prepsim plot $*: not one line: $(cat "$tmp/err.txt")"
  [ ! -s "$tmp/out.txt" ] || fail "prepsim plot $*: printed to stdout: $(cat "$tmp/out.txt")"
  [ "$(ls -R "$tmp" | md5sum)" = "$before" ] || fail "prepsim plot $*: wrote a file"
}

case $case in
axis)
  sweep
  both "$tmp/ex.sweep" axis
  says "$tmp/axis.svg" "sweep: 6 points" "pools.cpu.workers_per_host" "throughput_samples_per_s (samples/s)" \
    "stall_mean_fraction (% of the measured window)" "step_time=30ms"
  plot "$tmp/ex.sweep/sweep.db" --x trainers.dlrm.step_time -o "$tmp/step.svg"
  says "$tmp/step.svg" "trainers.dlrm.step_time (ms)" "workers_per_host=4"
  plot "$tmp/ex.sweep" --y peak_power_W -o "$tmp/peak.svg"
  says "$tmp/peak.svg" "peak_power_W (W)"
  both "$fixtures/sweep.csv" axis
  says "$tmp/axis.svg" "sweep: 4 points (1 failed, not shown)" "pools.cpu.sku" "epyc-7763-2s"
  plot "$tmp/ex.sweep/sweep.db"  # default kind and output: beside the input
  check_png "$tmp/ex.sweep/sweep-axis.png"
  ;;
pareto)
  sweep
  both "$tmp/ex.sweep/sweep.db" pareto
  says "$tmp/pareto.svg" "fleet_tco_usd ($ over the measured window)" "throughput_samples_per_s (samples/s)"
  grep -qE -- '<!-- [1-6] of 6 points on the Pareto front -->' "$tmp/pareto.svg" || fail "sweep pareto: no count"
  both "$fixtures/sweep.csv" pareto  # 4 ok points, two costs: the best of each
  says "$tmp/pareto.svg" "2 of 4 points on the Pareto front"
  both "$fixtures/plan.json" pareto  # cpu-small costs more than cpu for less: the one dominated option
  says "$tmp/pareto.svg" "4 of 5 points on the Pareto front" "tco_usd ($)" "option=cpu-small, devices=3"
  ;;
energy)
  "$prepsim" run -o "$tmp/run" >/dev/null 2>&1 || fail "prepsim run exited $?"
  both "$tmp/run/report.json" energy
  says "$tmp/energy.svg" "energy over the measured window (J)" "cpu-0" "gpu-0" "storage-0" "link"
  plot "$tmp/run"  # a run directory: its report.json, output beside it
  check_png "$tmp/run/report-energy.png"
  mkdir "$tmp/old"  # a report without a devices list: devices.csv beside it
  "$py" -c 'import json, sys; r = json.load(open(sys.argv[1])); r.pop("devices", None); json.dump(r, sys.stdout)' \
    "$tmp/run/report.json" >"$tmp/old/report.json"
  cp "$tmp/run/devices.csv" "$tmp/old/"
  plot "$tmp/old/report.json" -o "$tmp/old.svg"
  says "$tmp/old.svg" "cpu-0" "gpu-0" "storage-0" "link"
  ;;
plan)
  both "$fixtures/plan.json" plan
  says "$tmp/plan.svg" "tco_usd ($)" "samples_per_usd (samples/$)" "gpu" "1 device" "4 devices"
  cp "$fixtures/plan.json" "$tmp/p.json"
  plot "$tmp/p.json"
  check_png "$tmp/p-plan.png"
  ;;
validation)
  both "$fixtures/validate.json" validation
  says "$tmp/validation.svg" "validation-dedup@2" "measured throughput (samples/s), fast-quartile interval" \
    "validation at ±20%: 4 pass, 1 fail, 1 inconclusive" "inconclusive"
  both "$fixtures/validate.json" validation --tolerance 0.1
  says "$tmp/validation.svg" "validation: 2 of 6 points within ±10%" "±10% band" "outside the band"
  ;;
bad_input)
  printf 'old figure' >"$tmp/keep.png"
  expect_2 "not an input prepsim plot reads; accepted:" "$src/scenarios/sweeps/example.yaml" -o "$tmp/keep.png"
  [ "$(cat "$tmp/keep.png")" = "old figure" ] || fail "an existing figure was overwritten on bad input"
  expect_2 "no such file" "$tmp/none.db"
  expect_2 "a directory without sweep.db or report.json" "$tmp"
  expect_2 "-o: the figure's format comes from its extension: .png or .svg" "$fixtures/plan.json" -o "$tmp/x.pdf"
  expect_2 "'energy' cannot be drawn from a plan input; valid: plan, pareto" "$fixtures/plan.json" --kind energy
  expect_2 "--tolerance: not used by kind plan" "$fixtures/plan.json" --tolerance 0.1
  expect_2 "--x nope: not a swept axis; the axes are pools.cpu.sku, trainers.dlrm.step_time" \
    "$fixtures/sweep.csv" --x nope -o "$tmp/x.png"
  expect_2 "--y nope: no such metric" "$fixtures/sweep.csv" --kind pareto --y nope -o "$tmp/x.png"
  mkdir "$tmp/in"
  sed 's/"tco_usd": 47000, //' "$fixtures/plan.json" >"$tmp/in/plan.json"
  expect_2 "plan.json: options[2].tco_usd: missing; expected a finite number" "$tmp/in/plan.json" -o "$tmp/x.png"
  printf '{"schema": "prepsim-validation/v2", "points": [{"scenario": "s", "threads": 1, "measured": 0, "predicted": 5}]}' \
    >"$tmp/in/v.json"
  expect_2 "v.json: points[0].measured: 0 samples/s; expected a positive throughput" "$tmp/in/v.json" -o "$tmp/x.png"
  printf '{"schema": "prepsim-report/v1"}' >"$tmp/in/report.json"
  expect_2 "no devices list and no devices.csv beside it" "$tmp/in/report.json" -o "$tmp/x.png"
  printf '{"schema": "prepsim-report/v1", "devices": [{"device": "cpu-0", "kind": "cpu", "energy_J": "lots"}]}' \
    >"$tmp/in/report.json"
  expect_2 "report.json: devices[0]: expected a device, its kind and its energy_J in joules" "$tmp/in/report.json" \
    -o "$tmp/x.png"
  head -3 "$fixtures/sweep.csv" | sed '3s/,60620.8,/,fast,/' >"$tmp/in/s.csv"
  expect_2 "s.csv:3: throughput_samples_per_s: 'fast' is not a number" "$tmp/in/s.csv" -o "$tmp/x.png"
  printf 'SQLite format 3\0 but not really a database' >"$tmp/in/fake.db"
  expect_2 "not a prepsim sweep database" "$tmp/in/fake.db" -o "$tmp/x.png"
  ;;
no_matplotlib)
  # An interpreter that fails like one without matplotlib, one that does not exist, and a real Python whose
  # matplotlib import fails only once the script runs (-S: no site packages; the probe is faked to pass).
  printf '#!/bin/sh\necho "ModuleNotFoundError: No module named '"'matplotlib'"'" >&2\nexit 1\n' >"$tmp/nompl"
  printf '#!/bin/sh\n[ "$1" = -c ] && exit 0\nexec %s -S "$@"\n' "$py" >"$tmp/nosite"
  chmod +x "$tmp/nompl" "$tmp/nosite"
  for python in "$tmp/nompl" "$tmp/missing-python" "$tmp/nosite"; do
    PREPSIM_PYTHON=$python expect_2 "apt-get install python3-matplotlib" "$fixtures/plan.json" -o "$tmp/x.png"
    grep -qF "tried $python" "$tmp/err.txt" || fail "the message should name $python: $(cat "$tmp/err.txt")"
  done
  grep -qF "No module named 'matplotlib'" "$tmp/err.txt" || fail "the -S case should say why: $(cat "$tmp/err.txt")"
  ;;
*) fail "unknown case" ;;
esac
echo "ok ($case)"
