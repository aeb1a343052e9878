#!/usr/bin/env bash
# The validation gate (docs/validation.md), the project's one timed check: calibrates this host, then runs the
# validation suite (scenarios/validation/) for real at 1 and 2 threads and fails when any point's |predicted -
# measured| / measured exceeds the tolerance in tests/validation/tolerance.yaml, or could not be measured cleanly.
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

# Wait (up to 2 minutes) for other work to stop: measurements next to it are discarded and retried anyway, but a
# quiet start saves the retries.
for _ in $(seq 1 24); do
  busy=$(busy_cores 5)
  awk -v b="$busy" 'BEGIN{exit !(b < 0.3)}' && break
  echo "gate: other work is using $busy cores; waiting for a quiet machine (5 s)"
done

start=$(date +%s)
# The model is calibrated and validated minutes apart on a VM whose memory-heavy speed drifts with its neighbours
# (docs/validation.md); the sentinel guards passes within a validation run, not a drift between the calibration and
# the run. So a failed gate is confirmed by a second, independent calibration + validation: it fails only when both
# do (a real model error fails both; the table of each attempt is printed).
status=1
for attempt in 1 2; do
  echo "gate: attempt $attempt: calibrating this host into $build/calibration/host.json"
  "$prepsim" calibrate -o "$build/calibration/host.json"
  status=0
  "$prepsim" validate scenarios/validation/*.yaml --threads 1,2 --reps 5 --warmup 1 --retry-budget 30 \
    --calibration "$build/calibration/host.json" --tolerance-file tests/validation/tolerance.yaml \
    -o "$build/validation" || status=$?
  [ $status -eq 0 ] && break
  [ $attempt -eq 1 ] && echo "gate: attempt 1 failed; calibrating and validating again to confirm"
done
echo "gate: $(( $(date +%s) - start )) s (calibration + validation); JSON in $build/validation/validation.json"
exit $status
