#!/usr/bin/python3
"""The COBA E/I benchmark network (Vogels & Abbott 2005 / Brette et al. 2007) in Brian2, mirroring the BrainPy 2.x
example that spikeport ports (`EINet`: bp.dyn.LifRef + HalfProjAlignPostMg + EventJitFPHomoLinear; see
shared/reference/brainpy-semantics.md §6.1 and §6.3):

    LifRef(4000, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., V_initializer=Normal(-55., 2.))
    E: 3200 -> 4000, prob 0.02, weight 0.6, Expon(tau=5),  COBA(E=0)
    I:  800 -> 4000, prob 0.02, weight 6.7, Expon(tau=10), COBA(E=-80)
    input 20 every step, dt = 0.1 ms, spikes of step n-1 act at step n (delay 0.1 ms == one step)

Units. BrainPy 2.x is unitless: dV/dt = (-V + V_rest + R*I)/tau with R = 1, I = g*(E - V) + 20, and g grows by the
weight per presynaptic spike. V, E are mV and t, tau are ms. To give Brian2 consistent physical units we pick
R = 1 GOhm (so every "1" of BrainPy conductance is 1 nS and every "1" of current is 1 mV / 1 GOhm = 1 pA):
    C   = tau / R     = 20 ms / 1 GOhm = 20 pF
    g_L = 1 / R       = 1 nS                     (so C/g_L = 20 ms = tau)
    we  = 0.6 nS,  wi = 6.7 nS                   (R*we = 0.6, R*wi = 6.7: the BrainPy weights)
    I_ext = 20 pA                                (R*I_ext = 20 mV: the BrainPy input 20)
Any other R gives the same dynamics as long as C = tau/R, g_L = 1/R, w = weight/R, I = 20 mV/R.

Deliberate, documented differences from BrainPy (statistics, not spike-exact, are what we compare):
  * integration: Brian2's 'exponential_euler' (default; treats v as linear with the total conductance, i.e. like
    bp.dyn.LifRefLTC) or 'euler' (forward Euler, the eLife figure-8A model) via --method;
  * ordering: Brian2 adds the synaptic increment after the threshold of the spiking step, so a spike at step n-1 acts
    at step n (same lag as BrainPy's delay=0.1 ms); the increment is decayed together with v in that step's
    integration instead of before it (Mg projections), a difference of O(dt/tau_syn);
  * refractoriness: `refractory=5*ms` holds v for 50 steps after a spike, as BrainPy's `t - t_last <= tau_ref`
    does in ~98.6 % of cases (float32 time); the spike condition is `v >= V_th` and the reset v = V_reset;
  * connectivity: Bernoulli(p = 0.02) for every (pre, post) pair incl. self pairs (FixedProb / JIT connectivity
    statistics), drawn from Brian2's RNG, so the realisation differs from BrainPy's JIT connectivity.

Usage: /usr/bin/python3 compat/brian2_coba.py --duration-ms 1000 --N 4000 --target cpp_standalone --seed 42
Prints one JSON object: build/codegen time, run time, spike count, mean rate (Hz), CV of ISIs, Brian2 version.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--duration-ms', type=float, default=1000.0)
    ap.add_argument('--N', type=int, default=4000, help='total neurons; 80%% excitatory, 20%% inhibitory')
    ap.add_argument('--target', choices=['runtime', 'numpy', 'cython', 'cpp_standalone'], default='cpp_standalone')
    ap.add_argument('--seed', type=int, default=42)
    ap.add_argument('--method', choices=['exponential_euler', 'euler'], default='exponential_euler')
    ap.add_argument('--prob', type=float, default=0.02)
    ap.add_argument('--out', default=None, help='also write the JSON to this file')
    ap.add_argument('--keep-build', action='store_true',
                    help='cpp_standalone: keep the compiled project and report its directory (build_dir) and command '
                         '(run_cmd): a caller can run the same simulation again, timed inside the binary (results/'
                         'last_run_info.txt), between runs of its own; the caller removes the directory')
    ap.add_argument('--repeats', type=int, default=1,
                    help='cpp_standalone: run the compiled simulation this many times in all (the same network and '
                         'seed; the run times of a busy machine vary, the minimum and median are reported too)')
    ap.add_argument('--make-jobs', type=int, default=1,
                    help="cpp_standalone: parallel compile jobs (Brian2's default `make -j` starts ~20 compilers at "
                         "once; the default 1 keeps the build to one core on a shared machine)")
    args = ap.parse_args()

    t_import = time.perf_counter()
    import numpy as np
    import brian2
    from brian2 import (ms, mV, pF, nS, pA, NeuronGroup, Synapses, SpikeMonitor, Network, defaultclock,
                        prefs, set_device, device, seed as b2seed)
    t_import = time.perf_counter() - t_import

    build_dir = None
    if args.target == 'cpp_standalone':
        build_dir = tempfile.mkdtemp(prefix='brian2_coba_')
        set_device('cpp_standalone', directory=build_dir, build_on_run=False)
        prefs.devices.cpp_standalone.openmp_threads = 0  # single thread, like the other targets
        prefs.devices.cpp_standalone.extra_make_args_unix = [f'-j{max(1, args.make_jobs)}']
    elif args.target in ('runtime', 'numpy'):
        prefs.codegen.target = 'numpy'
    else:
        prefs.codegen.target = 'cython'

    b2seed(args.seed)
    np.random.seed(args.seed)

    # BrainPy parameters (unitless mV / ms), with the unit choice R = 1 GOhm described in the module docstring
    defaultclock.dt = 0.1 * ms
    V_rest, V_th, V_reset = -60 * mV, -50 * mV, -60 * mV
    tau, tau_ref = 20 * ms, 5 * ms
    C = 20 * pF              # tau / R
    g_L = 1 * nS             # 1 / R  -> C / g_L = 20 ms
    E_e, E_i = 0 * mV, -80 * mV
    tau_e, tau_i = 5 * ms, 10 * ms
    w_e, w_i = 0.6 * nS, 6.7 * nS
    I_ext = 20 * pA          # R * I_ext = 20 mV
    assert abs(float(C / g_L) - float(tau)) < 1e-12

    N = args.N
    N_e = int(N * 0.8)
    eqs = '''
    dv/dt = (g_L*(V_rest - v) + ge*(E_e - v) + gi*(E_i - v) + I_ext) / C : volt (unless refractory)
    dge/dt = -ge / tau_e : siemens
    dgi/dt = -gi / tau_i : siemens
    '''
    t_setup = time.perf_counter()
    P = NeuronGroup(N, eqs, threshold='v >= V_th', reset='v = V_reset', refractory=tau_ref,
                    method=args.method, name='P')
    P.v = 'V_rest + 5*mV + 2*mV*randn()'   # Normal(-55, 2) mV, BrainPy's V_initializer
    P.ge = 0 * nS
    P.gi = 0 * nS
    Ce = Synapses(P[:N_e], P, on_pre='ge += w_e', name='Ce')
    Ci = Synapses(P[N_e:], P, on_pre='gi += w_i', name='Ci')
    Ce.connect(p=args.prob)
    Ci.connect(p=args.prob)
    mon = SpikeMonitor(P, name='mon')
    net = Network(P, Ce, Ci, mon)
    duration = args.duration_ms * ms
    t_setup = time.perf_counter() - t_setup

    run_times = []
    t0 = time.perf_counter()
    net.run(duration, namespace=locals())
    timers = {}
    if args.target == 'cpp_standalone':
        device.build(directory=build_dir, compile=True, run=True, debug=False, clean=True)
        total = time.perf_counter() - t0
        run_time = float(device._last_run_time)            # the simulation main loop, measured inside the binary
        timers = {'make_s': device.timers['compile'].get('make'), 'run_binary_s': device.timers.get('run_binary')}
        for _ in range(args.repeats - 1):                  # the same binary again (identical results files)
            device.run(build_dir, False, [])
            run_times.append(float(device._last_run_time))
    else:
        total = time.perf_counter() - t0
        run_time = float(device._last_run_time)            # Network.run's main loop only
    build_time = total - run_time                          # code generation + compilation + initialisation
    run_times.insert(0, run_time)

    i = np.asarray(mon.i[:], dtype=np.int64)
    t = np.asarray(mon.t[:] / ms, dtype=np.float64)
    n_syn_e, n_syn_i = int(len(Ce)), int(len(Ci))
    if build_dir is not None and not args.keep_build:
        shutil.rmtree(build_dir, ignore_errors=True)

    count = int(i.size)
    dur_s = args.duration_ms / 1000.0
    rate = count / N / dur_s
    rate_e = float(np.sum(i < N_e)) / N_e / dur_s
    rate_i = float(np.sum(i >= N_e)) / (N - N_e) / dur_s
    # CV of inter-spike intervals, averaged over neurons with >= 3 spikes (>= 2 ISIs)
    order = np.lexsort((t, i))
    i_s, t_s = i[order], t[order]
    cvs = []
    bounds = np.flatnonzero(np.diff(i_s)) + 1
    for seg_i, seg_t in zip(np.split(i_s, bounds), np.split(t_s, bounds)):
        if seg_t.size >= 3:
            isi = np.diff(seg_t)
            m = isi.mean()
            if m > 0:
                cvs.append(float(isi.std() / m))
    result = {
        'command': ' '.join(['/usr/bin/python3'] + sys.argv),
        'model': 'COBA E/I (BrainPy 2.x EINet parameters, R = 1 GOhm units)',
        'brian2_version': brian2.__version__,
        'python': sys.version.split()[0],
        'numpy': np.__version__,
        'target': args.target,
        'method': args.method,
        'N': N, 'N_e': N_e, 'N_i': N - N_e,
        'prob': args.prob,
        'synapses_e': n_syn_e, 'synapses_i': n_syn_i,
        'dt_ms': 0.1,
        'duration_ms': args.duration_ms,
        'seed': args.seed,
        'import_time_s': round(t_import, 4),
        'setup_time_s': round(t_setup, 4),
        'build_time_s': round(build_time, 4),
        'build_dir': build_dir if args.keep_build else None,
        'run_cmd': list(prefs.devices.cpp_standalone.run_cmd_unix) if isinstance(prefs.devices.cpp_standalone.run_cmd_unix, (list, tuple)) else [prefs.devices.cpp_standalone.run_cmd_unix],
        'run_time_s': round(run_time, 4),
        'run_times_s': [round(x, 4) for x in run_times],
        'run_time_min_s': round(min(run_times), 4),
        'run_time_median_s': round(float(np.median(run_times)), 4),
        'total_time_s': round(total, 4),
        'timers': timers,
        'spike_count': count,
        'mean_rate_hz': round(rate, 4),
        'mean_rate_e_hz': round(rate_e, 4),
        'mean_rate_i_hz': round(rate_i, 4),
        'cv_isi': round(float(np.mean(cvs)), 4) if cvs else None,
        'cv_isi_neurons': len(cvs),
        'cpu_count': os.cpu_count(),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        with open(args.out, 'w') as fh:
            fh.write(text + '\n')


if __name__ == '__main__':
    main()
