#!/usr/bin/env bash
# The validation gate (docs/validation.md), the project's one timed check. One `prepsim validate --calibrate` run:
# it calibrates this host and, interleaved with the calibration's rounds, runs the validation suite
# (scenarios/validation/) for real at 1 and 2 threads in many short passes; then it simulates each point with the
# fresh calibration and gives each point a verdict against tests/validation/tolerance.yaml: pass, fail or
# inconclusive (the measured interval of the host's undisturbed throughput against the prediction's tolerance
# band). It retries inconclusive points for up to 90 s. It also predicts with a planted 1.3x error in decode's
# cost, which must fail every point decode dominates: the proof, each run, that the gate can fail.
# Exit: 0 pass; 1 a point fails, or the planted error was missed, in two independent runs in a row; 3 not
# checked (too few points reached a verdict: every scenario needs one, and half the points) twice in a row, the
# second run after waiting for a quieter machine; 2 bad setup.
# Release builds only: timings under sanitizers mean nothing. Never writes calibration/reference.json.
# usage: tests/validation/gate.sh BUILD_DIR     (e.g. build; writes BUILD_DIR/calibration and BUILD_DIR/validation)
set -euo pipefail
build=${1:?usage: gate.sh BUILD_DIR}
cd "$(dirname "$0")/../.."
prepsim=$build/prepsim
[ -x "$prepsim" ] || { echo "gate.sh: no $prepsim (build it first)" >&2; exit 2; }
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "gate.sh: $build is not a Release build; the gate times kernels and runs on Release only" >&2
  exit 2
fi

# Busy cores (all processes) over `seconds`, from /proc/stat: user nice system irq softirq steal.
busy_cores() {
  local a b
  a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  sleep "$1"
  b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  awk -v a="$a" -v b="$b" -v s="$1" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", (b - a) / hz / s}'
}

# Wait (up to 1 minute) for other work to stop: the verdicts see through noise, but a busy start costs retries.
wait_for_quiet() {
  local busy
  for _ in $(seq 1 12); do
    busy=$(busy_cores 5)
    awk -v b="$busy" 'BEGIN{exit !(b < 0.3)}' && return 0
    echo "gate: other work is using $busy cores; waiting for a quieter machine (5 s)"
  done
}
wait_for_quiet

start=$(date +%s)
run_validation() {
  "$prepsim" validate scenarios/validation/*.yaml --threads 1,2 --calibrate \
    --calibration "$build/calibration/host.json" --tolerance-file tests/validation/tolerance.yaml \
    --planted decode=1.3 -o "$build/validation"
}
status=0
run_validation || status=$?
# Not checked (3): the machine was too busy for too many points to reach a verdict within the retry budget. That
# neither passes (nothing was checked) nor blocks a correct model for a neighbour's load: wait for a quieter
# machine and run once more, calibration included; a second "not checked" stands (exit 3).
if [ "$status" -eq 3 ]; then
  echo "gate: too few points reached a verdict; waiting for a quieter machine, then one more run"
  wait_for_quiet
  status=0
  run_validation || status=$?
fi
# A failure is confirmed once by an independent run, calibration included. Within a run the calibration and the
# passes see the same host, but a calibration can still come out a few percent off as a whole (decode's
# coefficient moved by up to 20% between runs of one hour: docs/validation.md, section 8), shifting every point of
# that run alike. A model error fails both runs (the planted one does, every run); a shifted calibration seldom
# fails two.
if [ "$status" -eq 1 ]; then
  echo "gate: a point failed; confirming with an independent run (calibration included)"
  wait_for_quiet
  status=0
  run_validation || status=$?
fi
echo "gate: $(( $(date +%s) - start )) s (calibration + validation); JSON in $build/validation/validation.json"
exit $status
