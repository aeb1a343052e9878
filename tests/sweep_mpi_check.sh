#!/bin/bash
# prepsim sweep under mpirun (builds with MPI): the example completes on 2 ranks, both ranks run points, the
# database holds every point once with the same rows as a run without MPI, a rerun adds nothing, deleted rows are
# rerun (rank 0 hands out only what is missing), failing points are recorded, a bad sweep file exits 2 with one
# message.
#   tests/sweep_mpi_check.sh PREPSIM SOURCE_DIR [MPIEXEC]
set -u
prepsim=$1
src=$2
mpiexec=${3:-mpirun}
. "$(dirname "$0")/sweep_lib.sh"

# OpenMPI in a container, as root: allow root; no single-copy (CMA needs ptrace rights containers often lack);
# an rsh agent that exists (mpirun refuses to start without ssh, though a one-node job never uses it); no CPU
# binding (a rank's children inherit it: with binding, each rank's children would share one core).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_plm_rsh_agent=false
mpi() { "$mpiexec" -n 2 --oversubscribe --allow-run-as-root --bind-to none "$@" </dev/null; }
# The rows minus nothing: metrics already exclude timing and provenance (report.json's `timing`, `provenance`).
rows='select key, params, status, error, metrics, throughput_samples_per_s, stall_mean_fraction, fleet_tco_usd,
      system_energy_J from points order by key'
ex=$src/scenarios/sweeps/example.yaml

# 1. The example without MPI, then on 2 ranks: same rows, every point once, both ranks at work.
"$prepsim" sweep "$ex" -j 2 -o "$tmp/plain" >"$tmp/plain.log" 2>&1 \
  || fail "plain sweep exited $?: $(cat "$tmp/plain.log")"
mpi "$prepsim" sweep "$ex" -o "$tmp/mpi" >"$tmp/mpi.log" 2>&1 || fail "mpirun sweep exited $?: $(cat "$tmp/mpi.log")"
[ "$(q "$tmp/mpi" 'select count(*) from points')" = 6 ] || fail "mpi: expected 6 rows: $(cat "$tmp/mpi.log")"
[ "$(q "$tmp/mpi" 'select count(*) from points where status="ok"')" = 6 ] || fail "mpi: expected 6 ok rows"
[ "$(q "$tmp/mpi" "$rows")" = "$(q "$tmp/plain" "$rows")" ] || fail "mpi rows differ from the plain run's"
grep -q '^sweep: 2 MPI ranks ran [1-9][0-9]*, [1-9][0-9]* points$' "$tmp/mpi.log" \
  || fail "both ranks should have run points: $(cat "$tmp/mpi.log")"
[ "$(grep -c '^sweep: 6 points' "$tmp/mpi.log")" = 1 ] || fail "only rank 0 prints: $(cat "$tmp/mpi.log")"

# 2. A rerun adds nothing; after deleting two rows only those two run again, to the same values.
mpi "$prepsim" sweep "$ex" -o "$tmp/mpi" >"$tmp/re.log" 2>&1 || fail "mpi rerun exited $?"
grep -q '0 run now, 6 already done' "$tmp/re.log" || fail "mpi rerun should run nothing: $(cat "$tmp/re.log")"
q "$tmp/mpi" "delete from points where rowid in (select rowid from points order by key limit 2)"
mpi "$prepsim" sweep "$ex" -o "$tmp/mpi" >"$tmp/resume.log" 2>&1 || fail "mpi resume exited $?"
grep -q '2 run now, 4 already done' "$tmp/resume.log" || fail "mpi resume: $(cat "$tmp/resume.log")"
[ "$(q "$tmp/mpi" "$rows")" = "$(q "$tmp/plain" "$rows")" ] || fail "mpi rows after resume differ"

# 3. Failing points, whichever rank ran them, are recorded with the child's last stderr line.
cat >"$tmp/fail.yaml" <<EOT
schema: prepsim-sweep/v1
base: $src/scenarios/examples/undersized.yaml
seed: 1
set: {run.duration: 5s}
axes:
  - {key: pools.cpu.workers_per_host, values: [1, -1, 2, -2]}
EOT
mpi "$prepsim" sweep "$tmp/fail.yaml" -o "$tmp/fail" >"$tmp/fail.log" 2>&1
rc=$?
[ $rc = 1 ] || fail "failing mpi sweep exited $rc, expected 1 (points failed)"
grep -q '2 of 4 points failed' "$tmp/fail.log" || fail "fail: the summary should count the failed points"
[ "$(q "$tmp/fail" 'select count(*) from points where status="ok"')" = 2 ] || fail "fail: 2 ok rows"
[ "$(q "$tmp/fail" "select count(*) from points where status='failed' and error like '%must not be negative%'")" = 2 ] \
  || fail "fail: 2 failed rows with the child's error: $(q "$tmp/fail" 'select * from points')"

# 4. A bad sweep file: exit 2, one message (rank 0's), nothing written.
printf 'schema: prepsim-sweep/v1\nbase: %s/scenarios/examples/undersized.yaml\naxes:\n  - {key: a.b}\n' "$src" \
  >"$tmp/bad.yaml"
mpi "$prepsim" sweep "$tmp/bad.yaml" -o "$tmp/bad" >"$tmp/bad.log" 2>&1
rc=$?
[ $rc = 2 ] || fail "a bad sweep file should exit 2 under mpirun, got $rc: $(cat "$tmp/bad.log")"
[ "$(grep -c 'bad.yaml:4' "$tmp/bad.log")" = 1 ] || fail "one message naming file:line: $(cat "$tmp/bad.log")"
[ ! -e "$tmp/bad" ] || fail "a bad sweep file should write nothing"
echo "sweep_mpi_check: ok"
