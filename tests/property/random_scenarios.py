#!/usr/bin/env python3
"""Property test: random scenarios drawn from the prepsim/v1 schema (docs/inputs.md), mostly valid and sometimes
at or past the edge of a range, must each end one of two ways: a run to a report.json that passes the invariants
(prepsim checks them itself and exits 3 when one breaks) with every number finite, or a refusal with exit 2 and one
'prepsim: FILE:LINE: ...' line, nothing written. Never a signal, another exit code, or a hang.

    random_scenarios.py PREPSIM SOURCE_DIR [--seed S] [--cases N]

The generator is seeded: a failing case is reproduced by its seed and printed as a YAML file to rerun.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

DENSE_OPS = ['fill_null', 'log', 'logit', 'boxcox', 'bucketize', 'onehot', 'clamp']
SPARSE_OPS = ['sigrid_hash', 'firstx', 'ngram', 'mapid', 'dedup', 'clamp']


def edge(r, good, bad, p_bad=0.03):
    """A valid value, or now and then one just outside the range."""
    return r.choice(bad) if r.random() < p_bad else good


def params_of(r, op):
    if op == 'fill_null':
        return {'value': edge(r, round(r.uniform(-5, 5), 3), ['nan', '1e400'])}
    if op == 'log':
        return {'offset': round(r.uniform(0, 10), 3)}
    if op == 'logit':
        return {'eps': edge(r, round(r.uniform(1e-6, 0.4), 6), [0, 0.5])}
    if op == 'boxcox':
        return {'lambda': round(r.uniform(-2, 2), 3)}
    if op == 'bucketize':
        return {'borders': edge(r, r.choice([1, 16, 1024, 100000]), [0, '3G'])}
    if op == 'onehot':
        lo = round(r.uniform(-10, 10), 2)
        return {'lower': lo, 'upper': edge(r, lo + round(r.uniform(0.5, 20), 2), [lo]), 'n': r.choice([2, 8, 64])}
    if op == 'clamp':
        lo = r.randint(-100, 100)
        return {'lo': lo, 'hi': edge(r, lo + r.randint(0, 1000), [lo - 1])}
    if op == 'sigrid_hash':
        return {'salt': r.randint(0, 1 << 20), 'max': edge(r, r.choice(['1K', '500K', '10M']), [0, -5])}
    if op == 'firstx':
        return {'x': edge(r, r.randint(0, 50), [-1])}
    if op == 'ngram':
        return {'n': edge(r, r.randint(1, 4), [0])}
    if op == 'mapid':
        return {'map': r.choice([16, 4096, 100000])}
    return None


def flow(d):
    """A small flow-style YAML of scalars, lists and maps."""
    if isinstance(d, dict):
        return '{' + ', '.join(f'{k}: {flow(v)}' for k, v in d.items()) + '}'
    if isinstance(d, list):
        return '[' + ', '.join(flow(v) for v in d) + ']'
    if isinstance(d, bool):
        return 'true' if d else 'false'
    return str(d)


def scenario(r, src):
    samples = edge(r, r.choice(['10K', '1M', '45M', '1G']), [0, '1e25', '1e17'])
    batch = edge(r, r.choice([1, 64, 1024, 8192, 65536]), [0, '8.5', '1T'])
    dense = [{'name': f'd{i}', 'count': edge(r, r.randint(1, 200), [0, '3G']),
              'null_fraction': round(r.uniform(0, 0.5), 3)} for i in range(r.randint(0, 2))]
    sparse = [{'name': f's{i}', 'count': r.randint(1, 100), 'mean_length': edge(r, round(r.uniform(0.5, 30), 2), [0]),
               'length_distribution': r.choice(['fixed', 'poisson']),
               'duplication': edge(r, round(r.uniform(0, 0.9), 3), [1, -0.1])} for i in range(r.randint(0, 2))]
    if not dense and not sparse:
        dense = [{'name': 'd0', 'count': 13}]
    stages = [{'name': 'read', 'op': 'read', 'on': 'storage'},
              {'name': 'decode', 'op': 'decode', 'on': 'cpu', 'after': ['read']}]
    last = []
    for g in dense + sparse:
        ops = DENSE_OPS if g in dense else SPARSE_OPS
        prev = 'decode'
        for k in range(r.randint(0, 3)):
            op = r.choice(ops)
            st = {'name': f'{g["name"]}_{op}_{k}', 'op': op, 'on': 'cpu', 'after': [prev], 'features': g['name']}
            if r.random() < 0.3:
                st['count'] = edge(r, r.randint(1, max(1, g['count'] if isinstance(g['count'], int) else 1)), [0])
            p = params_of(r, op)
            if p:
                st['params'] = p
            stages.append(st)
            prev = st['name']
        last.append(prev)
    stages.append({'name': 'to_kjt', 'op': 'to_kjt', 'on': 'cpu', 'after': sorted(set(last))})
    pools = {'storage': {'kind': 'storage', 'hosts': ['storage-0']},
             'cpu': {'kind': 'cpu', 'hosts': r.choice([['cpu-0'], ['cpu-0', 'cpu-1']]),
                     'workers_per_host': edge(r, r.choice([0, 1, 2, 4, 8, 32]), [-1, '1M', 20000])}}
    job = {'name': 'job', 'sync': r.random() < 0.7, 'hosts': ['gpu-0'],
           'step_time': edge(r, f'{r.choice([2, 12, 30, 100, 500])}ms', ['0s', '-1ms', '5']),
           'step_time_cv': round(r.uniform(0, 0.3), 3), 'prefetch': edge(r, r.randint(1, 16), [0, '3G'])}
    run = {'warmup': edge(r, f'{round(r.uniform(0, 1), 2)}s', ['-1s', '1e300y']),
           'duration': edge(r, f'{round(r.uniform(0.2, 2), 2)}s', ['0s', '10y']),
           'pue': edge(r, round(r.uniform(1, 2), 2), [0.5, 20]), 'electricity_price': '$0.0733/kWh'}
    lines = ['schema: prepsim/v1', 'name: random',
             f'platform: {src}/platforms/examples/criteo_pool.xml', f'catalog: {src}/platforms/catalog.yaml',
             'cpu_costs: reference', f'seed: {r.randint(0, 1000)}', 'dataset:', f'  samples: {samples}',
             f'  batch_size: {batch}']
    if dense:
        lines += ['  dense:'] + [f'    - {flow(g)}' for g in dense]
    if sparse:
        lines += ['  sparse:'] + [f'    - {flow(g)}' for g in sparse]
    lines += ['pipeline:'] + [f'  - {flow(s)}' for s in stages]
    lines += ['pools:'] + [f'  {k}: {flow(v)}' for k, v in pools.items()]
    lines += ['trainers:', f'  - {flow(job)}', f'run: {flow(run)}']
    return '\n'.join(lines) + '\n'


def all_finite(x):
    if isinstance(x, dict):
        return all(all_finite(v) for v in x.values())
    if isinstance(x, list):
        return all(all_finite(v) for v in x)
    if x is None:
        return False
    if isinstance(x, float):
        return math.isfinite(x)
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('prepsim')
    ap.add_argument('src')
    ap.add_argument('--seed', type=int, default=15)
    ap.add_argument('--cases', type=int, default=40)
    a = ap.parse_args()
    a.src = os.path.abspath(a.src)
    ran = refused = 0
    failures = []
    with tempfile.TemporaryDirectory(prefix='prepsim-property.') as tmp:
        for case in range(a.cases):
            r = random.Random(a.seed * 100003 + case)
            text = scenario(r, a.src)
            path = os.path.join(tmp, f'case{case}.yaml')
            out = os.path.join(tmp, f'out{case}')
            with open(path, 'w') as f:
                f.write(text)
            why = None
            try:
                p = subprocess.run([a.prepsim, 'run', path, '-o', out], capture_output=True, text=True, timeout=120,
                                   stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                why = 'no result within 120 s'
            else:
                err = p.stderr.strip()
                if p.returncode == 0:
                    try:
                        with open(os.path.join(out, 'report.json')) as f:
                            report = json.load(f)
                        if not all_finite(report):
                            why = 'report.json has a null or non-finite number'
                    except (OSError, ValueError) as e:
                        why = f'exit 0 without a readable report.json ({e})'
                    ran += 1
                elif p.returncode == 2:
                    refused += 1
                    if len(err.splitlines()) != 1 or not err.startswith('prepsim: '):
                        why = f'refused without one prepsim: line: {err[:300]}'
                    elif os.path.exists(out):
                        why = 'refused but wrote its output folder'
                else:
                    why = f'exit code {p.returncode}: {err[-300:]}'
            status = 'ok' if why is None else 'FAIL'
            print(f'{status}: case {case} (seed {a.seed}): {"ran" if why is None and p.returncode == 0 else "refused" if why is None else why}'
                  + (f' -- {err.splitlines()[0][:160]}' if why is None and p.returncode == 2 and err else ''))
            if why:
                failures.append((case, why, text))
    for case, why, text in failures:
        print(f'--- case {case}: {why}\n{text}', file=sys.stderr)
    # A generator whose cases are all refused (or all run) tests one side only: both must be seen.
    if a.cases >= 20 and (ran < a.cases // 4 or refused == 0):
        failures.append((-1, f'the generator is lopsided: {ran} ran, {refused} refused', ''))
    print(f'property: {ran} ran, {refused} refused; {a.cases - len(failures)} passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
