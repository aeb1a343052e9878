#!/usr/bin/env bash
# The gate's plumbing, not its timing (that is tests/validation/gate.sh), on two small chunks:
#  - a bad tolerance file or a bad --perturb is refused with exit 2 and a file:line (or flag) message, before
#    anything is measured;
#  - too few passes to bound any interval: every point inconclusive with its cause, the gate "not checked", exit 3;
#  - a model made wrong on purpose (--perturb decode=100) fails with confidence: exit 1, the point named on stderr;
#    the same error as --planted is "caught" while the true model is judged;
#  - --json keeps stdout one JSON document (schema prepsim-validation/v2) and puts the verdict on stderr.
# usage: gate_check.sh PREPSIM SCENARIO CALIBRATION
set -euo pipefail
prepsim=$1 scenario=$2 calibration=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run=("$prepsim" validate "$scenario" --calibration "$calibration" --chunks 2 --warmup 0 --threads 1 -o "$tmp/out")
fail() { echo "$1"; cat "$tmp/o.txt" "$tmp/e.txt" 2>/dev/null; exit 1; }

printf 'schema: prepsim-validation-tolerance/v1\ntolerance: 20%%\n' > "$tmp/bad.yaml"
code=0
"${run[@]}" --retry-budget 0 --passes 1 --tolerance-file "$tmp/bad.yaml" > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
[ "$code" = 2 ] || fail "bad tolerance file: exit $code, expected 2"
grep -q "bad.yaml:2: tolerance:" "$tmp/e.txt" || fail "no file:line message"
[ ! -e "$tmp/out/validation.json" ] || fail "measured despite a bad tolerance file"
code=0
"${run[@]}" --retry-budget 0 --passes 1 --perturb decode=x > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
[ "$code" = 2 ] && grep -q -- "--perturb: 'decode=x'" "$tmp/e.txt" || fail "bad --perturb: exit $code"
code=0
"${run[@]}" --retry-budget 0 --passes 1 --perturb nosuchop=2 > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
[ "$code" = 2 ] && grep -q "unknown op 'nosuchop'" "$tmp/e.txt" || fail "unknown --perturb op: exit $code"

printf 'schema: prepsim-validation-tolerance/v1\ntolerance: 0.1\ngoal: 0.1\n' > "$tmp/tol.yaml"
code=0
"${run[@]}" --retry-budget 0 --passes 3 --tolerance-file "$tmp/tol.yaml" > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
[ "$code" = 3 ] || fail "3 passes: exit $code, expected 3 (not checked)"
grep -q "validation gate ($tmp/tol.yaml): tolerance 10%, goal 10%: not checked: no verdict for validation-criteo" \
  "$tmp/o.txt" || fail "no 'not checked' line"
grep -q "inconclusive: 3 usable passes of 3 timed are too few to bound the interval" "$tmp/o.txt" \
  || fail "no cause for the inconclusive point"

# 20 passes bound the fast quartile (13 do, estimate.h); decode's cost x100 is wrong beyond any noise. On a busy
# machine (ctest -j) passes whose worker lost its core do not count: the retry budget runs more until they do.
code=0
"${run[@]}" --retry-budget 30 --passes 20 --tolerance-file "$tmp/tol.yaml" --perturb decode=100 > "$tmp/o.txt" 2> "$tmp/e.txt" \
  || code=$?
[ "$code" = 1 ] || fail "decode x100: exit $code, expected 1"
grep -q "tolerance 10%, goal 10%: fail: 1 of 1 points fail" "$tmp/o.txt" || fail "no fail line"
grep -q "^FAIL validation-criteo at 1 thread: error -" "$tmp/e.txt" || fail "the failing point is not named"

code=0
"${run[@]}" --retry-budget 30 --passes 20 --tolerance-file "$tmp/tol.yaml" --planted decode=100 --json > "$tmp/o.json" \
  2> "$tmp/e.txt" || code=$?
[ "$code" = 0 ] || [ "$code" = 1 ] || [ "$code" = 3 ] || fail "--planted --json: exit $code"
grep -q "planted error decode=100: fails 1 of 1 point where decode dominates: the gate can fail" "$tmp/e.txt" \
  || fail "the planted error was not caught"
python3 - "$tmp/o.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "prepsim-validation/v2", doc["schema"]
assert doc["method"]["planted"] == "decode=100" and doc["method"]["planted_check"] == "caught", doc["method"]
(p,) = doc["points"]
assert p["planted_verdict"] == "fail", p["planted_verdict"]
assert len(p["passes"]) >= 20 and p["measured_low"] <= p["measured"] <= p["measured_high"], p
PY
grep -q "validation gate (" "$tmp/e.txt" || fail "--json: the verdict belongs on stderr"
echo ok
