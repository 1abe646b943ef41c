/**
 * The tensor path of bp.dyn.Lif / LifLTC / LifRef / LifRefLTC (BrainPy 2.8.2, brainpy/dyn/neurons/lif.py and
 * brainpy/dyn/neurons/base.py GradNeuDyn): TrainingMode and BatchingMode (and a NonBatchingMode group whose state was
 * given a batch axis by `reset_state(batch_size)`). Not a BrainPy module; neurons.ts dispatches here.
 *
 *     net = bp.dyn.LifRef(10, mode=bm.TrainingMode(batch_size=8))      const neu = new bp.dyn.LifRef(10, { mode: new bm.TrainingMode(8) });
 *     neu.reset_state(8); spk = neu(x)   # x: (8, 10)                  neu.reset_state(8); const spk = neu.call(x);
 *
 * Modes, as upstream:
 *  - supported: NonBatchingMode, BatchingMode, TrainingMode (GradNeuDyn.supported_modes = (TrainingMode,
 *    NonBatchingMode) checked with `is_parent_of`, so BatchingMode passes; a bare bm.Mode passes that check but
 *    variable_() then raises "Unknown batch_size_or_mode", so it raises here at construction).
 *  - state shape: `variable_(init, varshape, batch_or_mode)`: a Batching/TrainingMode → (mode.batch_size, *varshape)
 *    at construction (TrainingMode() has batch_size 1); `reset_state(b)` → (b, *varshape); `reset_state()` → varshape
 *    with no batch axis, in every mode. A Tensor V_initializer must have the varshape and is repeated along the batch
 *    axis; an Initializer / function is called with the batched shape.
 *  - spk_dtype null (the default): float32 in TrainingMode, bool otherwise.
 *
 * One step (float32 Tensor ops in upstream's order, so spikeport autograd differentiates it; BPTT over T steps):
 *    Lif/LifRef:  I = x + Σ current inputs(V_old)           LTC: the current inputs are evaluated inside f
 *    V = V_old + (dt·exprel(dt·J))·f(V_old) + Σ delta inputs, f(V) = (−V + V_rest + R·I)/tau, J = ∂f/∂V elementwise
 *    Ref:  refractory = (t − t_last_spike) <= tau_ref;  V = where(refractory, V_old, V)
 *    TrainingMode: spike = spk_fun(V − V_th) (default bm.surrogate.InvSquareGrad(), alpha 100: forward V >= V_th as
 *       float, gradient 1/(100·|V − V_th| + 1)²); soft reset V −= (V_th − V_reset)·spike, hard V += (V_reset − V)·spike;
 *       Ref: t_last_spike = where(spike > 0, t, t_last_spike), refractory Variable = refractory | spike > 0.
 *    otherwise: spike = V >= V_th; V = where(spike, V_reset, V); Ref: the same bookkeeping with that spike.
 * update returns the spike: in TrainingMode the float tensor carrying the autograd history (also copied into the
 * `spike` Variable); otherwise the `spike` Variable, as the NonBatchingMode loop does.
 *
 * State and autograd: bm.Variable is a Tensor owning its data (`.value` reads a detached copy), so the tensor path
 * keeps, beside each Variable it writes, the tensor it wrote (with its history). The next step integrates from that
 * tensor while it is still what the Variable holds; any write to the Variable since (`reset_state`, `V.value = …`)
 * bumps its version and cuts the graph there, and so does a backward() that freed the step that wrote it (JAX starts
 * every gradient computation from the Variables' values as constants). `traced(variable)` gives that tensor.
 */
import { Tensor, autograd, enable_grad, is_grad_enabled, no_grad, ones_like, where } from '../../torch/index';
import { describe, fail } from '../../torch/utils/checks';
import { InvSquareGrad } from '../math/surrogate';
import { share } from '../context';
import { get_dt } from '../math/environment';
import { BatchingMode, Mode, NonBatchingMode } from '../math/modes';
import { exprel_f32 } from '../math/others';
import { Variable } from '../math/variables';
import { initVariable, type StateInit } from './_common';

/** A spike function: a surrogate object with `call(x)` (brainstate/braintools' Surrogate) or a function of x. */
export type SpkFun = { call(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

// BrainPy's default argument `spk_fun=bm.surrogate.InvSquareGrad()` (bm.surrogate is braintools.surrogate) is one
// instance shared by every neuron built without spk_fun; so is this one.
const DEFAULT_SPK_FUN = new InvSquareGrad();

/** The neuron fields the tensor path reads (the public members of neurons.ts's _LifBase). */
export interface LifLike {
  readonly mode: Mode;
  readonly varshape: number[];
  readonly spk_fun: SpkFun;
  readonly spk_dtype: 'bool' | 'float32';
  readonly spk_reset: 'soft' | 'hard';
  readonly detach_spk: boolean;
  readonly V_rest: number;
  readonly V_reset: number;
  readonly V_th: number;
  readonly R: number;
  readonly tau: number;
  readonly tau_ref: number;
  readonly ref_var: boolean;
  readonly V_initializer: StateInit;
  V: Variable;
  spike: Variable;
  t_last_spike?: Variable;
  refractory?: Variable;
  readonly current_inputs: Map<string, unknown>;
  readonly delta_inputs: Map<string, unknown>;
  sum_current_inputs(...args: any[]): Tensor | number;
  sum_delta_inputs(): Tensor | number;
}

// ---- construction ---------------------------------------------------------------------------------------------------

/** The supported modes (see the header); raises for a mode that is neither non-batching nor batching. */
export function checkLifMode(fn: string, mode: Mode): void {
  if (!(mode instanceof NonBatchingMode) && !(mode instanceof BatchingMode)) {
    throw new Error(`${fn}: mode must be bm.NonBatchingMode, bm.BatchingMode or bm.TrainingMode (BrainPy's variable_ raises "Unknown batch_size_or_mode" for others), got ${String(mode)}`);
  }
}

/** spk_fun: undefined → the shared InvSquareGrad(); otherwise a function or an object with call (is_callable). */
export function checkSpkFun(fn: string, spk_fun: unknown): SpkFun {
  if (spk_fun === undefined) return DEFAULT_SPK_FUN;
  if (typeof spk_fun === 'function') return spk_fun as SpkFun;
  if (typeof spk_fun === 'object' && spk_fun !== null && typeof (spk_fun as { call?: unknown }).call === 'function') return spk_fun as SpkFun;
  return fail(fn, 'spk_fun', 'a callable: a surrogate (e.g. surrogate.InvSquareGrad()) or a function of V - V_th', spk_fun);
}

/** The batch size the constructor initializes with: mode.batch_size for Batching/TrainingMode, null (no axis) otherwise. */
export function modeBatch(mode: Mode): number | null {
  return mode instanceof BatchingMode ? mode.batch_size : null;
}

/** reset_state's batch_size: null/undefined (no batch axis) or a positive integer. */
export function checkBatchSize(fn: string, batch_size: unknown): number | null {
  if (batch_size === undefined || batch_size === null) return null;
  if (typeof batch_size !== 'number' || !Number.isInteger(batch_size) || batch_size < 1) {
    return fail(fn, 'batch_size', 'a positive integer or null (no batch axis)', batch_size);
  }
  return batch_size;
}

/** The state shape: varshape, or (batch, *varshape). */
export function stateShape(varshape: readonly number[], batch: number | null): number[] {
  return batch === null ? varshape.slice() : [batch, ...varshape];
}

/** V's initial Variable: upstream repeats an array initializer along the batch axis and calls a callable with the batched shape. */
export function initStateV(fn: string, init: StateInit, varshape: readonly number[], batch: number | null): Variable {
  if (batch !== null && init instanceof Tensor) {
    const same = init.shape.length === varshape.length && init.shape.every((s, i) => s === varshape[i]);
    if (!same && init.numel() === 1) return initVariable(fn, 'V_initializer', init, stateShape(varshape, batch)); // filled, as without a batch
    if (!same) throw new Error(`${fn}: V_initializer must be a Tensor of the group's shape [${varshape.join(', ')}] (it is repeated along the batch axis), got ${describe(init)}`);
    const rep = init.detach().unsqueeze(0).expand([batch, ...varshape]).contiguous();
    return initVariable(fn, 'V_initializer', rep, stateShape(varshape, batch));
  }
  return initVariable(fn, 'V_initializer', init, stateShape(varshape, batch));
}

/** reset_state's write into a kept Variable: in place when the shape is the same, else the Variable takes the new storage (a new batch size). */
export function assignState(v: Variable, w: Variable): void {
  if (v.shape.length === w.shape.length && v.shape.every((s, i) => s === w.shape[i]) && v.dtype === w.dtype) v.value = w;
  else v.data = w;
}

// ---- state with autograd history ------------------------------------------------------------------------------------

interface Trace { t: Tensor; ver: { v: number }; v: number }
const traces = new WeakMap<Tensor, Trace>();

/**
 * The value of `v` with the autograd history of the tensor-path step that wrote it: that tensor while nothing has
 * written `v` since and its graph was not freed by a backward(); otherwise a detached copy of v's data.
 */
export function traced(v: Variable): Tensor {
  const tr = traces.get(v);
  if (tr && tr.ver === v._version && tr.v === v._version.v && !(tr.t.grad_fn && tr.t.grad_fn.released)) return tr.t;
  return v.value;
}

/** Copies t into v (outside autograd; shape and dtype must match) and remembers t as v's traced value. */
function writeState(fn: string, what: string, v: Variable, t: Tensor): void {
  if (t.shape.length !== v.shape.length || t.shape.some((s, i) => s !== v.shape[i])) {
    throw new Error(`${fn}: the new ${what} has shape [${t.shape.join(', ')}] but the ${what} Variable has shape [${v.shape.join(', ')}] (call reset_state(batch_size) for another batch size)`);
  }
  if (t.dtype !== v.dtype) throw new Error(`${fn}: the new ${what} has dtype ${t.dtype} but the ${what} Variable has dtype ${v.dtype} (BrainPy raises MathError here)`);
  no_grad(() => { v.copy_(t); });
  traces.set(v, { t, ver: v._version, v: v._version.v });
}

// ---- one step -------------------------------------------------------------------------------------------------------

/** x: null/undefined (0), a number, or a Tensor broadcasting to the state shape without enlarging it. */
function checkX(fn: string, x: unknown, shape: readonly number[]): Tensor | number {
  if (x === undefined || x === null) return 0;
  if (typeof x === 'number') return x;
  if (!(x instanceof Tensor)) return fail(fn, 'x', `a number or a Tensor broadcasting to the state shape [${shape.join(', ')}]`, x);
  if (x.dtype === 'float64') throw new Error(`${fn}: x must be a float32 Tensor (the neuron's state is float32), got ${describe(x)}`);
  const lead = shape.length - x.ndim;
  if (lead < 0 || x.shape.some((s, i) => s !== 1 && s !== shape[lead + i])) {
    throw new Error(`${fn}: x must be a number or a Tensor broadcasting to the state shape [${shape.join(', ')}], got ${describe(x)}`);
  }
  return x.dtype === 'float32' ? x : x.to('float32');
}

/** bm.exprel on a float32 Tensor: select(|z| <= 1e-5, 1 + z/2 + z²/6, (exp(z) − 1)/z). */
function exprelTensor(z: Tensor): Tensor {
  const small = z.abs().le(1e-5);
  const series = z.div(2).add(1).add(z.mul(z).div(6));
  // deviation: the large branch divides by z replaced with 1 where |z| is small; the selected values are the same,
  // but where z == 0 JAX's select backward gives 0·(1/0) = NaN and this gives a finite gradient
  const zs = where(small, 1, z);
  const big = zs.exp().sub(1).div(zs);
  return where(small, series, big);
}

/** f(V) = (−V + V_rest + R·I)/tau in upstream's float32 order. */
function deriv(V: Tensor, I: Tensor | number, Vrest: number, R: number, tau: number): Tensor {
  const RI = typeof I === 'number' ? R * I : I.mul(R); // Python floats multiply in float64, then weakly typed to float32
  return V.neg().add(Vrest).add(RI).div(tau);
}

/**
 * One step of the tensor path; `ltc` / `ref` say which of the four classes `neu` is. Returns the spike tensor
 * (TrainingMode) or the spike Variable (other modes).
 */
export function lifTensorUpdate(neu: LifLike, x: unknown, ltc: boolean, ref: boolean): Tensor {
  const fn = `${neu.constructor.name}.update`;
  const training = neu.mode.is_train_mode();
  const t = share.load<number>('t');
  if (typeof t !== 'number') fail(fn, "bp.share's t", 'a number (run the model with step_run(i, …))', t);
  const dt = share.load<number>('dt', get_dt());
  const shape = neu.V.shape.slice();
  if (training && neu.spike.dtype !== 'float32') {
    throw new Error(`${fn}: spk_dtype must be 'float32' or null in TrainingMode (the surrogate spikes are float32; BrainPy raises MathError assigning them to a ${neu.spike.dtype} Variable), got '${neu.spk_dtype}'`);
  }
  let I = checkX(fn, x, shape);
  const V0 = traced(neu.V);
  const { V_rest: Vrest, R, tau, V_th: Vth, V_reset: Vreset } = neu;

  // integrate: V0 + (dt·exprel(dt·J))·f(V0)
  let V: Tensor;
  if (!ltc) I = neu.sum_current_inputs(V0, { init: I }); // Lif.update: the currents at the old V (with its history)
  if (!ltc || neu.current_inputs.size === 0) {
    // J = ∂f/∂V = −1/tau: JAX's vector_grad gives −(1/tau) in float32
    const J = -Math.fround(1 / Math.fround(tau));
    const dt32 = Math.fround(dt);
    const c = Math.fround(dt32 * exprel_f32(Math.fround(dt32 * J)));
    V = V0.add(deriv(V0, I, Vrest, R, tau).mul(c));
  } else {
    // LifLTC.derivative sums the current inputs inside f, and exp_euler takes J = ∂f/∂V by bm.vector_grad. Here f is
    // evaluated at V0 (with its history), and J by reverse mode at a detached copy of V0 (a graph of its own, so the
    // step does not walk V0's history); the current inputs are thus called twice (same values for pure functions such
    // as COBA/CUBA outputs). In TrainingMode J is built with create_graph, so it stays differentiable w.r.t. what the
    // inputs read (COBA: J = −(1 + R·g)/tau). Exact for inputs affine in V; for an input nonlinear in V the term
    // dt²·exprel'(dt·J)·(∂J/∂V0)·f of ∂V/∂V0 is dropped. Cost: that reverse pass also walks the history of what the
    // inputs read (e.g. a conductance computed from trainable weights over earlier steps).
    const f = deriv(V0, neu.sum_current_inputs(V0, { init: I }), Vrest, R, tau);
    if (f.shape.join() !== shape.join()) throw new Error(`${fn}: the current inputs give shape [${f.shape.join(', ')}], expected the state shape [${shape.join(', ')}]`);
    const Vp = V0.detach().requires_grad_(true);
    const Ix = I;
    const create = training && is_grad_enabled();
    const J = enable_grad(() => {
      const fp = deriv(Vp, neu.sum_current_inputs(Vp, { init: Ix }), Vrest, R, tau);
      return autograd.grad([fp], [Vp], [ones_like(fp)], { create_graph: create, retain_graph: true })[0]!;
    });
    V = V0.add(exprelTensor(J.mul(dt)).mul(dt).mul(f));
  }
  const delta = neu.sum_delta_inputs();
  if (delta !== 0) V = V.add(delta);

  // refractory: (t − t_last_spike) <= tau_ref, inclusive; stop_gradient on a bool is a no-op
  let refr: Tensor | null = null;
  let tls: Tensor | null = null;
  if (ref) {
    tls = neu.t_last_spike!.value;
    refr = tls.neg().add(t).le(neu.tau_ref);
    V = where(refr, V0, V);
  }

  if (training) {
    const s = callSpkFun(fn, neu.spk_fun, V.sub(Vth), shape);
    // SURPRISE (upstream): Lif/LifLTC replace `spike` by stop_gradient(spike) when detach_spk, so the returned spike is
    // detached too; LifRef/LifRefLTC detach only the copy used for the reset and t_last_spike, and return `spike` with
    // its surrogate gradient
    const sNg = neu.detach_spk ? s.detach() : s;
    const spike = ref ? s : sNg;
    if (neu.spk_reset === 'soft') V = V.sub(sNg.mul(Math.fround(Vth - Vreset))); // (V_th − V_reset): Python floats
    else V = V.add(V.neg().add(Vreset).mul(sNg)); // V += (V_reset − V)·spike: the gradient flows through both V terms
    if (ref) {
      const fired = sNg.detach().gt(0); // spike_ = spike_no_grad > 0.
      if (neu.ref_var) neu.refractory!.value = refr!.logical_or(fired);
      neu.t_last_spike!.value = where(fired, t, tls!);
    }
    writeState(fn, 'V', neu.V, V);
    writeState(fn, 'spike', neu.spike, spike);
    return spike;
  }

  const spk = V.ge(Vth);
  V = where(spk, Vreset, V);
  if (ref) {
    if (neu.ref_var) neu.refractory!.value = refr!.logical_or(spk);
    neu.t_last_spike!.value = where(spk, t, tls!);
  }
  writeState(fn, 'V', neu.V, V);
  // as the NonBatchingMode loop: a float32 spike Variable (spk_dtype 'float32') holds 0/1
  writeState(fn, 'spike', neu.spike, neu.spike.dtype === 'bool' ? spk : spk.to(neu.spike.dtype));
  return neu.spike;
}

function callSpkFun(fn: string, f: SpkFun, u: Tensor, shape: readonly number[]): Tensor {
  const s = typeof f === 'function' ? f(u) : f.call(u);
  if (!(s instanceof Tensor)) return fail(fn, 'the result of spk_fun', 'a Tensor', s);
  if (s.shape.join() !== shape.join() || s.dtype !== 'float32') {
    throw new Error(`${fn}: spk_fun must return a float32 Tensor of the state shape [${shape.join(', ')}], got ${describe(s)}`);
  }
  return s;
}
