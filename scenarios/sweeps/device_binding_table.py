#!/usr/bin/env python3
"""Prints the table of docs/devices.md ("What binds each device") from a run of scenarios/sweeps/device_binding.yaml:
per device kind and chunk size, the resource that binds the device by itself (its own resources in the analytic
bound: a device's units, DRAM, P2P link or kernels as `devices POOL (binding)`, and the platform links, disks and
memory that belong to it), the first of these alone, and what binds the whole run, with the simulated throughput.

usage: python3 scenarios/sweeps/device_binding_table.py SWEEP_DIR/sweep.db
"""
import json
import sqlite3
import sys

# The device host of each pool in platforms/examples/devices_fast.xml; its links are named after it.
KINDS = {"cpu": ("cpu", "cpu-0"), "card": ("fpga (U280)", "fpga-0"), "ssd": ("isp (SmartSSD)", "ssd-0"),
         "nic": ("smartnic (BlueField-2)", "nic-0"), "gpu": ("gpu (A100)", "gpu-1")}
SIZES = {13: "RM1", 504: "RM5", 2016: "RM5 x4"}
ORDER = list(KINDS)


def own(resource, pool, host):
    name = resource["resource"]
    if pool == "cpu":
        return name in ("cpu cores cpu",) or name.startswith(f"memory {host}-")
    return (name.startswith(f"devices {pool} (") or name.startswith(f"link {host}-")
            or name.startswith(f"disk {host}:"))


def short(name):
    return name.replace("devices ", "").replace("cpu cores cpu", "cores")


def main():
    db = sqlite3.connect(sys.argv[1])
    rows = []
    for params, status, metrics in db.execute("select params, status, metrics from points"):
        p = json.loads(params)
        pool = p["pipeline.log.on"]
        size = SIZES[p["dataset.dense.dense.count"]]
        if status != "ok":
            rows.append((ORDER.index(pool), list(SIZES.values()).index(size),
                         f"| {KINDS[pool][0]} | {size} | failed | | | |"))
            continue
        m = json.loads(metrics)
        res = m["analytic_bound"]["resources"]
        mine = min((r for r in res if own(r, pool, KINDS[pool][1])), key=lambda r: r["max_samples_per_s"])
        inside = next(r for r in res if r["resource"].startswith(f"devices {pool} (") or
                      (pool == "cpu" and r["resource"] == "cpu cores cpu"))
        run = m["analytic_bound"]
        rows.append((ORDER.index(pool), list(SIZES.values()).index(size),
                     f"| {KINDS[pool][0]} | {size} | {short(inside['resource'])}: {inside['max_samples_per_s']:,.0f} "
                     f"| {short(mine['resource'])}: {mine['max_samples_per_s']:,.0f} "
                     f"| {short(run['bottleneck'])}: {run['samples_per_s']:,.0f} "
                     f"| {m['throughput_samples_per_s']:,.0f} |"))
    print("| device | size | its compute and memory (samples/s) | binds the device alone (samples/s) "
          "| binds the run (samples/s) | simulated samples/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for _, _, line in sorted(rows):
        print(line)


if __name__ == "__main__":
    main()
