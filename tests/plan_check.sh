#!/usr/bin/env bash
# `prepsim plan` end to end on tests/plan/cpu.yaml, whose answer is computed by hand (see the scenario's header):
# a 4-core server of reference cores decodes a 1,000-sample chunk in 10 ms per core, so it prepares
# k = 4 x 1,000 / 0.010 s = 400,000 samples/s; the trainer wants D = 1,000 samples every 1 ms = 1,000,000 samples/s.
#   no_stall     plan finds n = ceil(D / k) = ceil(2.5) = 3; `prepsim run` with n - 1 = 2 servers stalls (about
#                1 - 800,000 / 1,000,000 = 20% > 1%); the JSON parses and has the fields `prepsim plot` draws and
#                the rest of prepsim-plan/v1; TCO over the 1-year lifetime = capex 3 x $1,000 + $2,000 (storage)
#                + 350 W (3 x 100 W + 50 W, constant) x 31,536,000 s x $0.1/kWh = $5,306.60; the text table too
#   throughput   --throughput 700K/s: n = ceil(700,000 / 400,000) = ceil(1.75) = 2
#   bad_input    unknown option kind, a pool that cannot be sized, an ambiguous scenario, a host the platform
#                lacks, bad goals, a missing file: exit 2, one line naming what is wrong, nothing on stdout, no
#                output folder
#   tests/plan_check.sh PREPSIM SOURCE_DIR CASE
set -u
prepsim=$1 src=$2 case=$3
scenario=$src/tests/plan/cpu.yaml
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL ($case): $*"; exit 1; }

case $case in
no_stall)
  "$prepsim" plan "$scenario" --json -j 2 -o "$tmp/plan" >"$tmp/plan.json" 2>"$tmp/err.txt" \
    || fail "prepsim plan exited $?: $(cat "$tmp/err.txt")"
  python3 - "$tmp/plan.json" "$tmp/plan/plan.json" <<'PY' || fail "the plan JSON is not the hand-computed answer"
import json, sys
plan = json.load(open(sys.argv[1]))
assert plan == json.load(open(sys.argv[2])), "plan.json in -o DIR differs from --json"
assert plan["schema"] == "prepsim-plan/v1", plan["schema"]
assert plan["goal"] == {"kind": "no-stall", "max_stall_fraction": 0.01}, plan["goal"]
assert plan["scenario"] == ["plan-hand"], plan["scenario"]
(o,) = plan["options"]
for key in ("option", "scenario", "pool", "devices", "throughput_samples_per_s", "stall_mean", "power_avg_w",
            "power_peak_w", "tco_usd", "stall_price_usd", "samples_per_usd", "met", "below", "fleet", "seeds"):
    assert key in o, f"option has no {key}"
assert o["option"] == "cpu" and o["pool"] == "cpu", (o["option"], o["pool"])
assert o["devices"] == 3, f"devices {o['devices']}, hand-computed ceil(1e6 / 4e5) = 3"
assert o["met"] is True
assert o["below"] == {"devices": 2, "fails_by": "simulated", "seed": 1}, o["below"]
assert o["seeds"] == [1, 2, 3], o["seeds"]
assert o["lower_bound_devices"] == 3, o["lower_bound_devices"]
assert abs(o["throughput_samples_per_s"] - 1e6) <= 1e3, o["throughput_samples_per_s"]
assert o["stall_mean"] <= 0.01, o["stall_mean"]
assert abs(o["power_avg_w"] - 350) < 1e-6 * 350, o["power_avg_w"]
assert abs(o["lifetime_s"] - 31536000) < 1, o["lifetime_s"]
assert abs(o["capex_usd"] - 5000) < 1e-6, o["capex_usd"]
tco = 5000 + 350 * 31536000 * 0.1 / 3.6e6
assert abs(o["tco_usd"] - tco) < 1e-6 * tco, (o["tco_usd"], tco)
assert abs(o["samples_per_usd"] - o["throughput_samples_per_s"] * 31536000 / tco) < 1e-6 * o["samples_per_usd"]
assert o["stall_price_usd"] == 0, o["stall_price_usd"]
below = [p for p in o["probes"] if p["devices"] == 2]
assert below and not below[0]["met"] and below[0]["stall_mean"] > 0.1, below
PY
  # n - 1 independently: the first 2 servers leave the trainer waiting about 20% of the time.
  "$prepsim" run "$scenario" --set 'pools.cpu.hosts=[cpu-0,cpu-1]' -o "$tmp/n2" >/dev/null 2>"$tmp/err.txt" \
    || fail "prepsim run with 2 servers exited $?: $(cat "$tmp/err.txt")"
  python3 - "$tmp/n2/report.json" <<'PY' || fail "2 servers should not meet the goal"
import json, sys
stall = json.load(open(sys.argv[1]))["jobs"][0]["stall_mean_fraction"]
assert 0.15 < stall < 0.25, f"stall {stall}: hand-computed about 1 - 800,000 / 1,000,000 = 20%"
PY
  "$prepsim" plan "$scenario" >"$tmp/out.txt" 2>"$tmp/err.txt" || fail "text plan exited $?: $(cat "$tmp/err.txt")"
  grep -Eq '^devices +3$' "$tmp/out.txt" || fail "the text table has no 'devices 3' row: $(cat "$tmp/out.txt")"
  grep -Eq '^TCO over L +\$5,307$' "$tmp/out.txt" || fail "the text table has no 'TCO over L \$5,307': $(cat "$tmp/out.txt")"
  grep -q '^plan: cpu with ' "$tmp/err.txt" || fail "no progress lines on a non-terminal stderr: $(cat "$tmp/err.txt")"
  ;;
throughput)
  "$prepsim" plan "$scenario" --throughput 700K/s --json >"$tmp/plan.json" 2>"$tmp/err.txt" \
    || fail "prepsim plan exited $?: $(cat "$tmp/err.txt")"
  python3 - "$tmp/plan.json" <<'PY' || fail "the throughput plan is not the hand-computed answer"
import json, sys
plan = json.load(open(sys.argv[1]))
assert plan["goal"] == {"kind": "throughput", "throughput_samples_per_s": 700000}, plan["goal"]
(o,) = plan["options"]
assert o["devices"] == 2 and o["met"], f"devices {o['devices']}, hand-computed ceil(7e5 / 4e5) = 2"
assert o["throughput_samples_per_s"] >= 700000, o["throughput_samples_per_s"]
assert o["below"]["devices"] == 1, o["below"]
PY
  ;;
bad_input)
  # bad EXPECTED-TEXT ARGS...: exit 2, one line on stderr naming the problem, nothing on stdout or in -o.
  bad() {
    local expect=$1
    shift
    "$prepsim" plan "$@" -o "$tmp/out" >"$tmp/stdout.txt" 2>"$tmp/stderr.txt"
    local code=$?
    [ $code -eq 2 ] || fail "plan $*: exit $code, expected 2 ($(cat "$tmp/stderr.txt"))"
    grep -qF -- "$expect" "$tmp/stderr.txt" || fail "plan $*: stderr lacks '$expect': $(cat "$tmp/stderr.txt")"
    [ "$(wc -l <"$tmp/stderr.txt")" -eq 1 ] || fail "plan $*: more than one line: $(cat "$tmp/stderr.txt")"
    [ ! -s "$tmp/stdout.txt" ] || fail "plan $*: wrote to stdout: $(cat "$tmp/stdout.txt")"
    [ ! -e "$tmp/out" ] || fail "plan $*: created its output folder"
  }
  bad "--options: 'tpu' is not a placement kind; valid: cpu, isp, fpga, smartnic, gpu" "$scenario" --options cpu,tpu
  bad "--options isp: no scenario has an option of these kinds (they have: cpu)" "$scenario" --options isp
  bad "cpu.yaml:27: pools.storage: --pool storage: a storage pool that runs no compute stage cannot be sized" \
    "$scenario" --pool storage
  bad "pools: no pool named 'gpu' (--pool); pools are: storage, cpu" "$scenario" --pool gpu
  bad "two_pools.yaml:20: pools: several pools could be sized (front, back); name one with --pool" \
    "$src/tests/plan/two_pools.yaml"
  bad "--max-stall: '150%' is not a stall fraction in [0, 1)" "$scenario" --max-stall 150%
  bad "--throughput: '700K' is not a positive throughput in samples per second" "$scenario" --throughput 700K
  bad "--max-stall and --throughput are two goals; give one of them" "$scenario" --max-stall 2% --throughput 1K/s
  bad "bad_host.yaml:6: pools.cpu.hosts: no host 'cpu-9' in the platform" "$src/tests/plan/bad_host.yaml"
  bad "missing.yaml: no such scenario file" "$src/tests/plan/missing.yaml"
  ;;
*)
  fail "unknown case"
  ;;
esac
echo "ok ($case)"
