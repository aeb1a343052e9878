#!/bin/bash
# prepsim sweep end to end: the example completes with one row per point; a rerun adds nothing; a sweep killed
# with SIGKILL mid-way and resumed holds every point exactly once; a failing point is recorded and the sweep
# completes; a changed sweep file is refused without --force.
#   tests/sweep_check.sh PREPSIM SOURCE_DIR
set -u
prepsim=$1
src=$2
. "$(dirname "$0")/sweep_lib.sh"

# 1. The shipped example: 6 points, all ok; rerun adds nothing.
"$prepsim" sweep "$src/scenarios/sweeps/example.yaml" -j 2 -o "$tmp/ex" --csv "$tmp/ex.csv" >"$tmp/ex.log" 2>&1 \
  || fail "example sweep exited $?: $(cat "$tmp/ex.log")"
[ "$(q "$tmp/ex" 'select count(*) from points where status="ok"')" = 6 ] || fail "example: expected 6 ok rows"
[ "$(wc -l <"$tmp/ex.csv")" = 7 ] || fail "example: csv should have a header and 6 rows"
head -1 "$tmp/ex.csv" | grep -q 'pools.cpu.workers_per_host,trainers.dlrm.step_time' || fail "csv: params as columns"
"$prepsim" sweep "$src/scenarios/sweeps/example.yaml" -j 2 -o "$tmp/ex" >"$tmp/ex2.log" 2>&1 || fail "rerun exited $?"
grep -q '0 run now, 6 already done' "$tmp/ex2.log" || fail "rerun should run nothing: $(cat "$tmp/ex2.log")"
[ "$(q "$tmp/ex" 'select count(*) from points')" = 6 ] || fail "rerun changed the row count"

# 2. A failing point (workers_per_host -1 is invalid) is recorded with its error; the sweep completes, then exits 1
#    with a summary that counts it.
cat >"$tmp/fail.yaml" <<EOT
schema: prepsim-sweep/v1
base: $src/scenarios/examples/undersized.yaml
seed: 1
set: {run.duration: 5s}
axes:
  - zip: [{key: pools.cpu.workers_per_host, values: [1, -1]}, {key: trainers.dlrm.step_time, values: [60ms, 30ms]}]
EOT
"$prepsim" sweep "$tmp/fail.yaml" -o "$tmp/fail" >"$tmp/fail.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "sweep with a failing point exited $rc, expected 1: $(cat "$tmp/fail.log")"
[ "$(q "$tmp/fail" 'select count(*) from points where status="ok"')" = 1 ] || fail "failing sweep: 1 ok row"
q "$tmp/fail" 'select error from points where status="failed"' | grep -q 'must not be negative' \
  || fail "failed point should carry the child's last stderr line: $(q "$tmp/fail" 'select * from points')"
grep -q '1 failed' "$tmp/fail.log" || fail "summary should count the failed point"
grep -q '1 of 2 points failed' "$tmp/fail.log" || fail "summary should say how many points failed: $(cat "$tmp/fail.log")"

# 3. A changed sweep file is refused (exit 2) unless --force.
echo "# changed" >>"$tmp/fail.yaml"
"$prepsim" sweep "$tmp/fail.yaml" -o "$tmp/fail" >"$tmp/chg.log" 2>&1
[ $? = 2 ] || fail "a changed sweep file should exit 2"
grep -q -- '--force' "$tmp/chg.log" || fail "the refusal should mention --force"
"$prepsim" sweep "$tmp/fail.yaml" -o "$tmp/fail" --force >/dev/null 2>&1
rc=$?
[ $rc = 1 ] || fail "--force should accept it (exit 1: the failed point is still failed), got $rc"

# 4. Bad sweep file: file:line and exit 2.
printf 'schema: prepsim-sweep/v1\nbase: %s/scenarios/examples/undersized.yaml\naxes:\n  - {key: a.b}\n' "$src" >"$tmp/bad.yaml"
"$prepsim" sweep "$tmp/bad.yaml" -o "$tmp/bad" >"$tmp/bad.log" 2>&1
[ $? = 2 ] || fail "a bad sweep file should exit 2"
grep -q 'bad.yaml:4' "$tmp/bad.log" || fail "the error should name file:line: $(cat "$tmp/bad.log")"

# 5. SIGKILL mid-way, then resume: every point exactly once.
cat >"$tmp/kill.yaml" <<EOT
schema: prepsim-sweep/v1
base: $src/scenarios/examples/undersized.yaml
seed: 1
axes:
  - {key: pools.cpu.workers_per_host, values: [1, 2, 3, 4]}
  - {key: trainers.dlrm.step_time, range: {from: 30, to: 60, step: 10}, unit: ms}
EOT
"$prepsim" sweep "$tmp/kill.yaml" -j 1 -o "$tmp/kill" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  n=$( [ -f "$tmp/kill/sweep.db" ] && q "$tmp/kill" 'select count(*) from points' 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 1 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
before=$(q "$tmp/kill" 'select count(*) from points')
echo "killed after $before of 16 points"
"$prepsim" sweep "$tmp/kill.yaml" -j 2 -o "$tmp/kill" >"$tmp/kill.log" 2>&1 || fail "resume exited $?"
[ "$(q "$tmp/kill" 'select count(*) from points')" = 16 ] || fail "resume: expected 16 rows"
[ "$(q "$tmp/kill" 'select count(distinct params) from points')" = 16 ] || fail "resume: a point is duplicated"
[ "$(q "$tmp/kill" 'select count(*) from points where status="ok"')" = 16 ] || fail "resume: all points ok"
sleep 0.2
pgrep -f "$tmp/kill" >/dev/null && fail "a child outlived the killed sweep"
echo "sweep_check: ok"
