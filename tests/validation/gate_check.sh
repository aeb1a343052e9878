#!/usr/bin/env bash
# The gate's plumbing, not its timing (that is tests/validation/gate.sh): a bad tolerance file is refused with exit 2
# and a file:line message before anything is measured; with a good one, `prepsim validate` prints the gate's verdict,
# exits 0 or 1, and on 1 names each failing point on stderr; with --json, stdout stays a JSON list.
# usage: gate_check.sh PREPSIM SCENARIO CALIBRATION
set -euo pipefail
prepsim=$1 scenario=$2 calibration=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run=("$prepsim" validate "$scenario" --calibration "$calibration" --chunks 2 --reps 1 --warmup 0 --retry-budget 0
     --threads 1 -o "$tmp/out")

printf 'schema: prepsim-validation-tolerance/v1\ntolerance: 20%%\n' > "$tmp/bad.yaml"
code=0
"${run[@]}" --tolerance-file "$tmp/bad.yaml" > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
[ "$code" = 2 ] || { echo "bad tolerance file: exit $code, expected 2"; cat "$tmp/e.txt"; exit 1; }
grep -q "bad.yaml:2: tolerance:" "$tmp/e.txt" || { echo "no file:line message:"; cat "$tmp/e.txt"; exit 1; }
[ ! -e "$tmp/out/validation.json" ] || { echo "measured despite a bad tolerance file"; exit 1; }

printf 'schema: prepsim-validation-tolerance/v1\ntolerance: 0.2\ngoal: 0.1\n' > "$tmp/tol.yaml"
code=0
"${run[@]}" --tolerance-file "$tmp/tol.yaml" > "$tmp/o.txt" 2> "$tmp/e.txt" || code=$?
grep -q "validation gate ($tmp/tol.yaml): tolerance 20%, goal 10%: " "$tmp/o.txt" || { cat "$tmp/o.txt"; exit 1; }
case $code in
  0) grep -q "all 1 points within" "$tmp/o.txt" ;;
  1) grep -q "1 of 1 points FAIL" "$tmp/o.txt" && grep -q "^FAIL validation-criteo at 1 thread: " "$tmp/e.txt" ;;
  *) echo "exit $code"; cat "$tmp/e.txt"; exit 1 ;;
esac

code=0
"${run[@]}" --tolerance-file "$tmp/tol.yaml" --json > "$tmp/o.json" 2> "$tmp/e.txt" || code=$?
[ "$code" -le 1 ] || { echo "--json: exit $code"; exit 1; }
python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$tmp/o.json"
grep -q "validation gate (" "$tmp/e.txt" || { echo "--json: the verdict belongs on stderr"; exit 1; }
echo ok
