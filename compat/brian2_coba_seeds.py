#!/usr/bin/python3
"""Seed statistics of the Brian2 COBA E/I network (compat/brian2_coba.py) for spikeport's statistical EINet tests.

Runs compat/brian2_coba.py once per seed (one fresh Python process per seed: cpp_standalone builds one network per
process), keeps only the seed-determined numbers (spike counts, rates, CV of ISIs, synapse counts; no wall times, so
the output is byte-reproducible for the same seeds, Brian2 build and machine) and writes per-seed values plus the
mean and the sample standard deviation (ddof = 1) over seeds:

    /usr/bin/python3 compat/brian2_coba_seeds.py --seeds 1 2 3 4 5 --out fixtures/brian2/coba_4000_1s_seeds.json
    /usr/bin/python3 compat/brian2_coba_seeds.py --seeds 1 2 3 4 5 --check fixtures/brian2/coba_4000_1s_seeds.json

--check regenerates and compares byte for byte with the given file (exit 1 on a difference): the determinism check.
Determinism: brian2.seed(s) seeds both numpy and the generated C++ code's RNG (initial V and Bernoulli synapses), the
simulation is single-threaded, so a seed gives the same spikes on the same machine and compiler. cpp_standalone
compiles with -march=native and -ffast-math by default, so another CPU or compiler may change the spike trains
(rounding), though not the statistics.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
KEEP = ['seed', 'spike_count', 'mean_rate_hz', 'mean_rate_e_hz', 'mean_rate_i_hz', 'cv_isi', 'cv_isi_neurons',
        'synapses_e', 'synapses_i']


def run_seed(seed, args):
    with tempfile.TemporaryDirectory(prefix='brian2_coba_seed_') as d:
        out = os.path.join(d, 'r.json')
        cmd = [sys.executable, os.path.join(HERE, 'brian2_coba.py'), '--duration-ms', repr(args.duration_ms),
               '--N', str(args.N), '--target', args.target, '--seed', str(seed), '--method', args.method,
               '--prob', repr(args.prob), '--out', out]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as fh:
            return json.load(fh)


def mean_std(xs):
    m = sum(xs) / len(xs)
    s = (sum((x - m) ** 2 for x in xs) / (len(xs) - 1)) ** 0.5 if len(xs) > 1 else 0.0
    return round(m, 4), round(s, 4)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seeds', type=int, nargs='+', default=[1, 2, 3, 4, 5])
    ap.add_argument('--duration-ms', type=float, default=1000.0)
    ap.add_argument('--N', type=int, default=4000)
    ap.add_argument('--target', choices=['runtime', 'numpy', 'cython', 'cpp_standalone'], default='cpp_standalone')
    ap.add_argument('--method', choices=['exponential_euler', 'euler'], default='exponential_euler')
    ap.add_argument('--prob', type=float, default=0.02)
    g = ap.add_mutually_exclusive_group()
    g.add_argument('--out', default=None, help='write the JSON here')
    g.add_argument('--check', default=None, help='regenerate and compare byte for byte with this file')
    args = ap.parse_args()

    runs = [run_seed(s, args) for s in args.seeds]
    first = runs[0]
    per_seed = [{k: r[k] for k in KEEP} for r in runs]
    rate_m, rate_s = mean_std([r['mean_rate_hz'] for r in runs])
    cv_m, cv_s = mean_std([r['cv_isi'] for r in runs])
    argv = ['/usr/bin/python3', 'compat/brian2_coba_seeds.py', '--seeds'] + [str(s) for s in args.seeds]
    if args.duration_ms != 1000.0:
        argv += ['--duration-ms', repr(args.duration_ms)]
    if args.N != 4000:
        argv += ['--N', str(args.N)]
    if args.target != 'cpp_standalone':
        argv += ['--target', args.target]
    if args.method != 'exponential_euler':
        argv += ['--method', args.method]
    if args.prob != 0.02:
        argv += ['--prob', repr(args.prob)]
    result = {
        'command': ' '.join(argv + ['--out', '<this file>']),
        'model': first['model'],
        'brian2_version': first['brian2_version'],
        'python': first['python'],
        'numpy': first['numpy'],
        'target': first['target'],
        'method': first['method'],
        'N': first['N'], 'N_e': first['N_e'], 'N_i': first['N_i'],
        'prob': first['prob'],
        'dt_ms': first['dt_ms'],
        'duration_ms': first['duration_ms'],
        'seeds': list(args.seeds),
        'per_seed': per_seed,
        'rate_hz': {'mean': rate_m, 'std': rate_s},
        'cv_isi': {'mean': cv_m, 'std': cv_s},
        'statistics': 'mean over seeds and sample std (ddof = 1); rate = spikes / (N * duration); cv_isi = mean over '
                      'neurons with >= 3 spikes of std(ISI) / mean(ISI) (population std), as in brian2_coba.py',
    }
    text = json.dumps(result, indent=2) + '\n'
    if args.check:
        with open(args.check) as fh:
            old = fh.read()
        same = old == text
        print('identical' if same else 'DIFFERENT')
        if not same:
            sys.stdout.write(text)
        sys.exit(0 if same else 1)
    sys.stdout.write(text)
    if args.out:
        with open(args.out, 'w') as fh:
            fh.write(text)


if __name__ == '__main__':
    main()
