/**
 * Registers the spikingjelly port with the fixture kit (spikeport/fixtures' register_module_class), under the class
 * names compat/spikeport_recorder.py writes into fixtures ('spikingjelly.clock_driven.neuron.LIFNode', …), so that
 * replay(fixture) rebuilds a recorded spikingjelly model without being handed one, and the TypeScript recorder can
 * write class + constructor arguments for these modules. Runs once on import; register_spikingjelly_classes()
 * registers again (e.g. after unregister_module_class, or in a tree-shaken bundle).
 */
import { nn } from '../../index';
import { ModuleRef, type Value } from '../../fixtures/load';
import { register_module_class, type ArgSpec, type ModuleClass } from '../../fixtures/registry';
import * as neuron from './neuron';
import * as surrogate from './surrogate';

type Module = nn.Module;

const BASE: ArgSpec[] = [['v_threshold', 1.0], ['v_reset', 0.0], ['surrogate_function', null], ['detach_reset', false]];
const BACKEND: ArgSpec = ['backend', 'torch'];
const QIF: ArgSpec[] = [['tau', 2.0], ['v_c', 0.8], ['a0', 1.0], ['v_threshold', 1.0], ['v_rest', 0.0], ['v_reset', -0.1], ['surrogate_function', null], ['detach_reset', false]];
const EIF: ArgSpec[] = [['tau', 2.0], ['delta_T', 1.0], ['theta_rh', 0.8], ['v_threshold', 1.0], ['v_rest', 0.0], ['v_reset', -0.1], ['surrogate_function', null], ['detach_reset', false]];

/** Python's constructor parameters of each neuron class, in order (surrogate_function's default is a Sigmoid()). */
const NEURONS: Record<string, ArgSpec[]> = {
  BaseNode: BASE,
  IFNode: BASE,
  MultiStepIFNode: [...BASE, BACKEND],
  LIFNode: [['tau', 2.0], ...BASE],
  MultiStepLIFNode: [['tau', 2.0], ...BASE, BACKEND],
  ParametricLIFNode: [['init_tau', 2.0], ...BASE],
  MultiStepParametricLIFNode: [['init_tau', 2.0], ...BASE, BACKEND],
  QIFNode: QIF,
  EIFNode: EIF,
  MultiStepEIFNode: [...EIF, BACKEND],
};

const ALPHA = (a: number): ArgSpec[] => [['alpha', a], ['spiking', true]];
const SURROGATES: Record<string, ArgSpec[]> = {
  PiecewiseQuadratic: ALPHA(1.0), PiecewiseExp: ALPHA(1.0), Sigmoid: ALPHA(1.0), SoftSign: ALPHA(2.0), ATan: ALPHA(2.0),
  NonzeroSignLogAbs: ALPHA(1.0), Erf: ALPHA(2.0),
  PiecewiseLeakyReLU: [['w', 1.0], ['c', 0.01], ['spiking', true]],
  SquarewaveFourierSeries: [['n', 2], ['T_period', 8], ['spiking', true]],
};
/** Ported from release 0.0.0.0.14, where they live in spikingjelly.activation_based.surrogate. */
const SURROGATES_LATER: Record<string, ArgSpec[]> = {
  S2NN: [['alpha', 4.0], ['beta', 1.0], ['spiking', true]],
  QPseudoSpike: ALPHA(2.0),
  LeakyKReLU: [['spiking', true], ['leak', 0.0], ['k', 1.0]],
  FakeNumericalGradient: [['alpha', 0.3]],
  LogTailedReLU: ALPHA(0.0),
};

/** A neuron's constructor arguments read back from its attributes (the surrogate as a reference to its child). */
function neuronArgs(spec: ArgSpec[]): (m: Module) => [string, Value][] {
  return (m) => {
    const self = m as unknown as Record<string, unknown>;
    const out: [string, Value][] = [];
    for (const [name] of spec) {
      if (name === 'surrogate_function') {
        // a plain-function surrogate cannot be recorded; the class default is then assumed
        if (self.surrogate_function instanceof nn.Module) out.push([name, new ModuleRef('surrogate_function')]);
      } else if (name === 'init_tau') {
        out.push([name, 1 + Math.exp(-(self.w as { item(): number }).item())]); // w = -log(init_tau - 1)
      } else {
        out.push([name, self[name] as Value]);
      }
    }
    return out;
  };
}

function entries(): [string, ModuleClass, Parameters<typeof register_module_class>[2]][] {
  const out: [string, ModuleClass, Parameters<typeof register_module_class>[2]][] = [];
  const N = neuron as unknown as Record<string, ModuleClass>;
  const S = surrogate as unknown as Record<string, ModuleClass>;
  for (const [n, spec] of Object.entries(NEURONS)) out.push([`spikingjelly.clock_driven.neuron.${n}`, N[n], { args_of: neuronArgs(spec) }]);
  for (const [n, spec] of Object.entries({ ...SURROGATES, ...SURROGATES_LATER })) out.push([`spikingjelly.clock_driven.surrogate.${n}`, S[n], { signature: spec }]);
  // their fixtures are recorded from 0.0.0.0.14 under these names (registered after, so the TypeScript recorder
  // names instances by the clock_driven names above)
  for (const [n, spec] of Object.entries(SURROGATES_LATER)) out.push([`spikingjelly.activation_based.surrogate.${n}`, S[n], { signature: spec }]);
  return out;
}

/** Every upstream class name this port registers. */
export const SPIKINGJELLY_CLASS_NAMES: readonly string[] = entries().map(([n]) => n);

/** Registers (again) every ported class with the fixture kit under its upstream name. */
export function register_spikingjelly_classes(): void {
  for (const [name, cls, options] of entries()) register_module_class(name, cls, options);
}

register_spikingjelly_classes();
