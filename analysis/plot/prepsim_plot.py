"""Draws one figure of a prepsim output with matplotlib; run by `prepsim plot` (analysis/plot/plot_command.cpp), which
has already recognised the input and checked the arguments. One loader per input type, one function per kind.
  --type sweep-db|sweep-csv|report|plan|validation --kind K --input F --output F.png|.svg [--x X] [--y Y]
  [--tolerance T]
Bad input: one line `file: what is wrong and what would be valid` on stderr, exit 2, nothing written (the figure
goes to a temporary file renamed into place). Exit 3: matplotlib cannot be imported."""
import argparse, csv, json, math, os, pathlib, re, sqlite3, sys, tempfile  # noqa: E401 (the standard library only)

class InputError(Exception):
    """A problem in the input file: printed as one line, exit code 2."""

def fail(path, message):
    raise InputError(f"{path}: {message}")

# Units of metrics by the suffix of their names (docs/metrics.md): (suffix, scale, unit).
UNITS = [("samples_per_usd", 1, "samples/$"), ("samples_per_J", 1, "samples/J"), ("_samples_per_s", 1, "samples/s"),
         ("_fraction", 100, "% of the measured window"), ("_usd_per_h", 1, "$/h"), ("_usd", 1, "$"), ("_J", 1, "J"),
         ("_W", 1, "W"), ("_w", 1, "W"), ("_per_s", 1, "/s"), ("_s", 1, "s")]

def unit_of(name):
    return next(((scale, unit) for suffix, scale, unit in UNITS if name.endswith(suffix)), (1, ""))

def label(name, over_window=False):
    """Axis label with its unit; a sweep's dollars and joules are totals over its measured window."""
    unit = unit_of(name)[1]
    unit += " over the measured window" if over_window and unit in ("$", "J") else ""
    return f"{name} ({unit})" if unit else name

def number(path, where, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(path, f"{where}: {'missing' if value is None else repr(value)}; expected a finite number")
    return float(value)

# ---- loaders: each returns points {"params": {axis: value}, "ok": bool, "metrics": {name: float}} or the JSON ----
def flatten(prefix, value, out):
    if isinstance(value, (dict, list)):
        for k, v in (value.items() if isinstance(value, dict) else enumerate(value)):
            flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[prefix] = float(value)

def load_sweep_db(path):
    TYPED = ["throughput_samples_per_s", "stall_mean_fraction", "fleet_tco_usd", "system_energy_J"]  # columns
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        rows = con.execute(f"SELECT params, status, metrics, {', '.join(TYPED)} FROM points ORDER BY rowid").fetchall()
    except sqlite3.Error as e:
        fail(path, f"not a prepsim sweep database ({e}); expected the sweep.db that `prepsim sweep` writes")
    points = []
    for params, status, metrics, *typed in rows:
        p = {"params": json.loads(params), "ok": status == "ok", "metrics": {}}
        flatten("", json.loads(metrics or "{}"), p["metrics"])  # any report figure: system.tco_usd, peak_power_W...
        p["metrics"].update({k: float(v) for k, v in zip(TYPED, typed) if v is not None})
        points.append(p)
    return points

def load_sweep_csv(path):
    with open(path, newline="") as f:
        header, *rows = list(csv.reader(f))
    if "throughput_samples_per_s" not in header:
        fail(path, "header must be key,status,<axes...>,throughput_samples_per_s,... (`prepsim sweep --csv`)")
    first_metric = header.index("throughput_samples_per_s")
    points = []
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            fail(f"{path}:{line}", f"{len(row)} fields; the header has {len(header)}")
        cells = dict(zip(header, row))
        metrics = {}
        for name in header[first_metric:]:
            try:
                metrics.update({name: float(cells[name])} if cells[name] and name != "error" else {})
            except ValueError:
                fail(f"{path}:{line}", f"{name}: {cells[name]!r} is not a number")
        params = {k: cells[k] for k in header[2:first_metric] if cells[k] != ""}
        points.append({"params": params, "ok": cells["status"] == "ok", "metrics": metrics})
    return points

def load_plan(path):
    plan = json.loads(pathlib.Path(path).read_text())
    options = plan.get("options")
    if not isinstance(options, list) or not options:
        fail(path, "options: expected a non-empty list of {option, devices, tco_usd, samples_per_usd, ...}")
    for i, o in enumerate(options):
        if not isinstance(o, dict) or not isinstance(o.get("option"), str):
            fail(path, f"options[{i}]: expected an object with a string 'option'")
        for key in ("devices", "throughput_samples_per_s", "tco_usd", "samples_per_usd"):  # the ones drawn
            number(path, f"options[{i}].{key}", o.get(key))
    return plan

def load_validation(path):
    doc = json.loads(pathlib.Path(path).read_text())
    if not isinstance(doc, dict) or not isinstance(doc.get("points"), list):
        fail(path, "expected a prepsim-validation/v2 document with a list of points")
    points = []
    for i, p in enumerate(doc["points"]):
        if not isinstance(p, dict) or not all(k in p for k in ("scenario", "threads", "measured", "predicted")):
            fail(path, f"points[{i}]: expected {{scenario, threads, measured, predicted, ...}}")
        if p["measured"] is None:  # no usable pass: nothing to draw for it
            continue
        for key in ("measured", "predicted"):
            if number(path, f"points[{i}].{key}", p[key]) <= 0:
                fail(path, f"points[{i}].{key}: {p[key]} samples/s; expected a positive throughput")
        points.append(p)
    if not points:
        fail(path, "no point was measured (every pass unusable); nothing to draw")
    method = doc.get("method") if isinstance(doc.get("method"), dict) else {}
    return {"points": points, "tolerance": method.get("tolerance")}

def load_report(path):
    report = json.loads(pathlib.Path(path).read_text())
    devices, where = report.get("devices"), path
    if not isinstance(devices, list):  # a report without its devices list: they are in devices.csv beside it
        where = os.path.join(os.path.dirname(path), "devices.csv")
        if not os.path.isfile(where):
            fail(path, "no per-device energy: no devices list and no devices.csv beside it (`prepsim run -o DIR`)")
        with open(where, newline="") as f:
            devices = list(csv.DictReader(f))
    for i, d in enumerate(devices):
        energy = str(d.get("energy_J")) if isinstance(d, dict) else ""
        if not (energy and d.get("device") and d.get("kind") and re.fullmatch(r"[-+]?[\d.]+(e[-+]?\d+)?", energy)):
            fail(where, f"devices[{i}]: expected a device, its kind and its energy_J in joules")
        d["energy_J"] = float(energy)
    report["devices"] = [d for d in devices if d["energy_J"] > 0]
    if not report["devices"]:
        fail(where, "no device used energy; nothing to draw")
    return report

LOADERS = {"sweep-db": load_sweep_db, "sweep-csv": load_sweep_csv, "report": load_report, "plan": load_plan,
           "validation": load_validation}

# ---- one function per kind -------------------------------------------------------------------------------------
def num_unit(value):
    """(number, unit) of an axis value such as 4, "30ms" or "1.5GB"; None when it is not a number."""
    m = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z%/]*)\s*", str(value))
    return (float(m.group(1)), m.group(2)) if m else None

def ok_points(path, points, wanted):
    """The points that finished ok; each (option, metric) in `wanted` must be a metric of some of them."""
    ok = [p for p in points if p["ok"]] or fail(path, f"none of its {len(points)} points finished ok; nothing to draw")
    for option, name in wanted:
        if not any(name in p["metrics"] for p in ok):
            names = sorted({k for p in ok for k in p["metrics"]}, key=lambda k: (k.count("."), k))  # top level first
            more = f" and {len(names) - 20} more dotted paths into report.json" if len(names) > 20 else ""
            fail(path, f"{option} {name}: no such metric in the points; valid: {', '.join(names[:20])}{more}")
    return ok

def short(params):
    return ", ".join(f"{k.split('.')[-1]}={v}" for k, v in params.items())

def plot_axis(fig, points, a):
    axes = list(dict.fromkeys(k for p in points for k in p["params"]))
    x = a.x or (axes or [None])[0]
    if x not in axes:
        fail(a.input, f"--x {x}: not a swept axis; the axes are {', '.join(axes)}" if axes else "no swept axis")
    metrics = [a.y] if a.y else ["throughput_samples_per_s", "stall_mean_fraction"]
    ok = ok_points(a.input, points, [("--y", m) for m in metrics])
    parsed = [num_unit(p["params"].get(x)) for p in ok]
    numeric = all(parsed) and len({u for _, u in parsed}) == 1
    cats = list(dict.fromkeys(str(p["params"].get(x)) for p in ok))
    xval = (lambda p: num_unit(p["params"][x])[0]) if numeric else (lambda p: cats.index(str(p["params"].get(x))))
    groups = {}  # one line per combination of the other axes
    for p in ok:
        groups.setdefault(short({k: p["params"].get(k) for k in axes if k != x}), []).append(p)
    panels = fig.subplots(len(metrics), 1, sharex=True, squeeze=False)[:, 0]
    for ax, m in zip(panels, metrics):
        for name, group in groups.items():
            pts = sorted((xval(p), p["metrics"][m] * unit_of(m)[0]) for p in group if m in p["metrics"])
            ax.plot([u for u, _ in pts], [v for _, v in pts], marker="o", label=name or None)
        ax.set_ylabel(label(m, True))
        ax.grid(alpha=0.3)
    if 1 < len(groups) <= 12:
        panels[0].legend(fontsize="small")
    ticks = sorted({xval(p) for p in ok}) if numeric else range(len(cats))
    if len(ticks) <= 12:
        panels[-1].set_xticks(list(ticks), [f"{t:g}" for t in ticks] if numeric else cats)
    panels[-1].set_xlabel(f"{x} ({parsed[0][1]})" if numeric and parsed[0][1] else x)
    failed = len(points) - len(ok)
    fig.suptitle(f"sweep: {len(ok)} points" + (f" ({failed} failed, not shown)" if failed else ""))

def pareto_front(items):
    """The items (cost, value, ...) no other item dominates (cost as low or lower and value higher)."""
    front, best = [], -math.inf
    for item in sorted(items, key=lambda t: (t[0], -t[1])):
        if item[1] > best:
            front.append(item)
            best = item[1]
    return front

def plot_pareto(fig, data, a):
    if a.type == "plan":  # options as points: every numeric field a metric
        data = [{"params": {"option": o["option"], "devices": o["devices"]}, "ok": True,
                 "metrics": {k: float(v) for k, v in o.items() if isinstance(v, (int, float))}}
                for o in data["options"]]
    xname, yname = a.x or ("tco_usd" if a.type == "plan" else "fleet_tco_usd"), a.y or "throughput_samples_per_s"
    ok = ok_points(a.input, data, [("--x", xname), ("--y", yname)])
    sx, sy = unit_of(xname)[0], unit_of(yname)[0]
    items = [(p["metrics"][xname] * sx, p["metrics"][yname] * sy, short(p["params"]))
             for p in ok if xname in p["metrics"] and yname in p["metrics"]]
    front = pareto_front(items)
    ax = fig.subplots()
    ax.scatter([c for c, _, _ in items], [v for _, v, _ in items], color="0.6", label="dominated")
    ax.plot([c for c, _, _ in front], [v for _, v, _ in front], "o-", color="tab:red", drawstyle="steps-post",
            label=f"Pareto front (min {xname}, max {yname})")
    for c, v, text in items if len(items) <= 12 else front:
        ax.annotate(text, (c, v), textcoords="offset points", xytext=(4, -10), fontsize="x-small")
    ax.set(xlabel=label(xname, a.type != "plan"), ylabel=label(yname, a.type != "plan"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    fig.suptitle(f"{len(front)} of {len(items)} points on the Pareto front")

def plot_plan(fig, plan, a):
    options = plan["options"]
    names = [f"{o['option']}\n{o['devices']:g} device{'s' if o['devices'] != 1 else ''}" for o in options]
    for ax, key, color in zip(fig.subplots(1, 2), ("tco_usd", "samples_per_usd"), ("tab:blue", "tab:green")):
        ax.bar_label(ax.bar(names, [o[key] for o in options], color=color), fmt="%.3g", fontsize="small")
        ax.set_ylabel(label(key))
        ax.grid(axis="y", alpha=0.3)
    scenario = plan.get("scenario")
    scenario = scenario.get("name", "") if isinstance(scenario, dict) else scenario
    if isinstance(scenario, list):
        scenario = ", ".join(os.path.basename(str(x)) for x in scenario)
    fig.suptitle(f"plan: {scenario or '?'}, goal {json.dumps(plan.get('goal'))}", fontsize="medium")

VERDICT_COLORS = {"pass": "tab:blue", "fail": "tab:red", "inconclusive": "tab:gray"}

def plot_validation(fig, doc, a):
    """Predicted against measured, the measured interval as a horizontal bar, coloured by the point's verdict (or,
    for a run without a tolerance, by whether the estimate is within the band)."""
    points = doc["points"]
    t = a.tolerance if a.tolerance is not None else (doc["tolerance"] or 0.2)
    judged = a.tolerance is None and doc["tolerance"] is not None and all(p.get("verdict") for p in points)
    ax = fig.subplots()
    meas, pred = [float(p["measured"]) for p in points], [float(p["predicted"]) for p in points]
    lows = [float(p["measured_low"]) if p.get("measured_low") is not None else m for p, m in zip(points, meas)]
    highs = [float(p["measured_high"]) if p.get("measured_high") is not None else m for p, m in zip(points, meas)]
    lo, hi = min(lows + pred) * 0.8, max(highs + pred) * 1.25
    if hi / lo > 50:
        ax.set(xscale="log", yscale="log")
    line = [lo * (hi / lo) ** (i / 100) for i in range(101)]
    # error = (predicted - measured) / measured within +-t  <=>  predicted in [(1 - t) m, (1 + t) m]
    ax.fill_between(line, [v * (1 - t) for v in line], [v * (1 + t) for v in line], color="tab:green", alpha=0.15,
                    label=f"±{t:.0%} band")
    ax.plot(line, line, color="tab:green", label="predicted = measured")
    if judged:
        verdicts = [p["verdict"] for p in points]
    else:
        verdicts = ["pass" if abs(y - x) <= t * x else "fail" for x, y in zip(meas, pred)]
    for v in ("pass", "fail", "inconclusive"):
        idx = [i for i, w in enumerate(verdicts) if w == v]
        if not idx:
            continue
        ax.errorbar([meas[i] for i in idx], [pred[i] for i in idx],
                    xerr=[[meas[i] - lows[i] for i in idx], [highs[i] - meas[i] for i in idx]], fmt="o",
                    color=VERDICT_COLORS[v], capsize=3, zorder=3,
                    label=v if judged else ("within the band" if v == "pass" else "outside the band"))
    for p, x, y in zip(points, meas, pred):
        ax.annotate(f"{p['scenario']}@{p['threads']}", (x, y), textcoords="offset points", xytext=(4, 4),
                    fontsize="x-small")
    ax.set(xlim=(lo, hi), ylim=(lo, hi), xlabel="measured throughput (samples/s), fast-quartile interval",
           ylabel="predicted throughput (samples/s)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="upper left")
    if judged:
        counts = ", ".join(f"{verdicts.count(v)} {v}" for v in ("pass", "fail", "inconclusive"))
        fig.suptitle(f"validation at ±{t:.0%}: {counts}")
    else:
        fig.suptitle(f"validation: {verdicts.count('pass')} of {len(points)} points within ±{t:.0%}")

def plot_energy(fig, report, a):
    """One bar per device kind, one segment per device (report.json v1 has no idle/dynamic split per device)."""
    devices = sorted(report["devices"], key=lambda d: (d["kind"], d["device"]))
    kinds = list(dict.fromkeys(d["kind"] for d in devices))
    bottoms = [0.0] * len(kinds)
    tallest = max(sum(d["energy_J"] for d in devices if d["kind"] == k) for k in kinds)
    ax = fig.subplots()
    for i, d in enumerate(devices):
        k = kinds.index(d["kind"])
        ax.bar(k, d["energy_J"], bottom=bottoms[k], color=f"C{i % 10}", edgecolor="white")
        if d["energy_J"] > 0.04 * tallest:
            ax.text(k, bottoms[k] + d["energy_J"] / 2, d["device"], ha="center", va="center", fontsize="x-small")
        bottoms[k] += d["energy_J"]
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set(xlabel="device kind (one segment per device)", ylabel="energy over the measured window (J)")
    ax.grid(axis="y", alpha=0.3)
    window, system = report.get("window", {}).get("measured_s"), report.get("system", {}).get("energy_J")
    name = report.get("scenario", {}).get("name", "")
    fig.suptitle(f"{name}: energy per device over {window:g} s, system {system:.4g} J" if window and system
                 else f"{name}: energy per device", fontsize="medium")

KINDS = {"axis": plot_axis, "pareto": plot_pareto, "plan": plot_plan, "validation": plot_validation,
         "energy": plot_energy}

def save(fig, output):
    """Writes the figure to a temporary file beside `output`, then renames it: never a partial figure."""
    fmt = os.path.splitext(output)[1].lstrip(".")
    handle, tmp = tempfile.mkstemp(suffix="." + fmt, dir=os.path.dirname(os.path.abspath(output)))
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp makes it private
    try:
        fig.savefig(tmp, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None})
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)

def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    for option in ("--type", "--kind", "--input", "--output"):
        parser.add_argument(option, required=True)
    parser.add_argument("--x")
    parser.add_argument("--y")
    parser.add_argument("--tolerance", type=float, default=None)
    a = parser.parse_args(argv)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"{sys.executable}: cannot import matplotlib ({e})", file=sys.stderr)
        return 3
    try:
        data = LOADERS[a.type](a.input)
        plt.rcParams["svg.hashsalt"] = "prepsim"  # deterministic SVG ids
        fig = plt.figure(figsize=(10, 7 if a.kind == "axis" else 6), layout="constrained")
        KINDS[a.kind](fig, data, a)
        save(fig, a.output)
    except Exception as e:  # else: unreadable or malformed input, a field of an unexpected type, unwritable output
        what = str(e) if isinstance(e, InputError) else f"{a.input}: cannot draw {a.kind}: {type(e).__name__}: {e}"
        print(f"prepsim plot: {what}", file=sys.stderr)
        return 2
    return 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
