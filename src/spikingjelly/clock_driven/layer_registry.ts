/**
 * Registers the 17 classes of spikingjelly.clock_driven.layer (0.0.0.0.8) with the fixture kit (register_module_class)
 * under the names compat/spikeport_recorder.py writes ('spikingjelly.clock_driven.layer.Dropout', …), so that
 * replay(fixture) rebuilds recorded models holding them, and the TypeScript recorder writes class + constructor
 * arguments for them. Runs once on import (clock_driven/index imports it); register_layer_classes() registers again
 * (e.g. in a tree-shaken bundle).
 *
 * Each factory builds from the recorded arguments by name (required ones positionally, the rest in the options object),
 * so fixtures recorded in Python (which list required/default arguments) and in TypeScript (which list every argument
 * read back from the instance) both rebuild. Arguments that are Python functions (STDPLearner's f_pre/f_post,
 * ElementWiseRecurrentContainer's element_wise_function) cannot be rebuilt from a fixture: replay those with
 * replay(fixture, { model }).
 */
import { nn } from '../../index';
import { ModuleRef, PyObject, type Value } from '../../fixtures/load';
import { register_module_class, type BuildContext, type ModuleClass, type RegisterOptions } from '../../fixtures/registry';
import * as layer from './layer';

type Module = nn.Module;
const PREFIX = 'spikingjelly.clock_driven.layer.';

/** The recorded arguments `names` that were recorded (not undefined), as an options object. */
function pick(ctx: BuildContext, names: readonly string[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const n of names) if (ctx.args[n] !== undefined) o[n] = ctx.args[n];
  return o;
}

function required(ctx: BuildContext, name: string): unknown {
  if (!(name in ctx.args)) throw new Error(`replay: ${ctx.spec.class} (module ${JSON.stringify(ctx.path)}) has no recorded argument ${JSON.stringify(name)}`);
  return ctx.args[name];
}

const self = (m: Module): Record<string, any> => m as unknown as Record<string, any>;
const fnValue = (f: unknown): Value => (f instanceof nn.Module ? null : new PyObject('function', `function.${(f as { name?: string }).name || '<lambda>'}`, []));
const callableValue = (m: Module, attr: string): Value => (self(m)[attr] instanceof nn.Module ? new ModuleRef(attr) : fnValue(self(m)[attr]));

/** The in_channels of a NeuNorm, read back from k1 = (1 − k0)/C² (or from w when not shared). */
function neunormArgs(m: Module): [string, Value][] {
  const s = self(m);
  const w = s.w as nn.Parameter;
  let C = w.shape[0];
  let shared = false;
  if (C === 1 && s.k1 !== 0) {
    C = Math.round(Math.sqrt((1 - s.k0) / s.k1));
    shared = C !== 1;
  }
  return [['in_channels', C], ['height', w.shape[1]], ['width', w.shape[2]], ['k', s.k0], ['shared_across_channels', shared]];
}

interface Entry { cls: ModuleClass; build: (ctx: BuildContext) => Module; options: RegisterOptions }

function entries(): [string, Entry][] {
  const L = layer;
  const dropout = (C: new (o: { p?: number }) => Module): Entry => ({
    cls: C as unknown as ModuleClass, build: (ctx) => new C(pick(ctx, ['p']) as { p?: number }),
    options: { args_of: (m) => [['p', self(m).p]] },
  });
  const seq = (C: new (...m: Module[]) => Module): Entry => ({
    cls: C as unknown as ModuleClass, build: (ctx) => new C(...ctx.children().map(([, m]) => m)), options: { signature: [['*args']] },
  });
  return [
    ['NeuNorm', {
      cls: L.NeuNorm,
      build: (ctx) => new L.NeuNorm(required(ctx, 'in_channels') as number, required(ctx, 'height') as number, required(ctx, 'width') as number,
        pick(ctx, ['k', 'shared_across_channels'])),
      options: { args_of: neunormArgs },
    }],
    ['DCT', {
      cls: L.DCT, build: (ctx) => new L.DCT(required(ctx, 'kernel_size') as number),
      options: { args_of: (m) => [['kernel_size', (self(m).kernel as { shape: number[] }).shape[0]]] },
    }],
    ['AXAT', {
      cls: L.AXAT, build: (ctx) => new L.AXAT(required(ctx, 'in_features') as number, required(ctx, 'out_features') as number),
      options: { args_of: (m) => [['in_features', self(m).A.shape[1]], ['out_features', self(m).A.shape[0]]] },
    }],
    ['Dropout', dropout(L.Dropout)],
    ['Dropout2d', dropout(L.Dropout2d)],
    ['MultiStepDropout', dropout(L.MultiStepDropout)],
    ['MultiStepDropout2d', dropout(L.MultiStepDropout2d)],
    ['SynapseFilter', {
      cls: L.SynapseFilter, build: (ctx) => new L.SynapseFilter(pick(ctx, ['tau', 'learnable'])),
      options: {
        args_of: (m) => {
          const s = self(m);
          // learnable: w = -log(tau - 1), so tau = 1 + exp(-w)
          return [['tau', s.learnable ? 1 + Math.exp(-(s.w as nn.Parameter).item()) : s.tau], ['learnable', s.learnable]];
        },
      },
    }],
    ['ChannelsPool', {
      cls: L.ChannelsPool, build: (ctx) => new L.ChannelsPool(required(ctx, 'pool') as Module),
      options: { args_of: () => [['pool', new ModuleRef('pool')]] },
    }],
    ['DropConnectLinear', {
      cls: L.DropConnectLinear,
      build: (ctx) => new L.DropConnectLinear(required(ctx, 'in_features') as number, required(ctx, 'out_features') as number,
        pick(ctx, ['bias', 'p', 'samples_num', 'invariant', 'activation'])),
      options: {
        args_of: (m) => {
          const s = self(m);
          return [['in_features', s.in_features], ['out_features', s.out_features], ['bias', s.bias !== null], ['p', s.p],
            ['samples_num', s.samples_num], ['invariant', s.invariant], ['activation', s.activation === null ? null : new ModuleRef('activation')]];
        },
      },
    }],
    ['MultiStepContainer', seq(L.MultiStepContainer)],
    ['SeqToANNContainer', seq(L.SeqToANNContainer)],
    ['STDPLearner', {
      cls: L.STDPLearner,
      build: (ctx) => new L.STDPLearner(required(ctx, 'tau_pre') as number, required(ctx, 'tau_post') as number,
        required(ctx, 'f_pre') as layer.Callable1, required(ctx, 'f_post') as layer.Callable1),
      options: {
        args_of: (m) => [['tau_pre', self(m).tau_pre], ['tau_post', self(m).tau_post], ['f_pre', callableValue(m, 'f_pre')], ['f_post', callableValue(m, 'f_post')]],
      },
    }],
    ['PrintShapeModule', {
      cls: L.PrintShapeModule, build: (ctx) => new L.PrintShapeModule(pick(ctx, ['ext_str'])),
      options: { args_of: (m) => [['ext_str', self(m).ext_str]] },
    }],
    ['ConvBatchNorm2d', {
      cls: L.ConvBatchNorm2d,
      build: (ctx) => new L.ConvBatchNorm2d(required(ctx, 'in_channels') as number, required(ctx, 'out_channels') as number,
        required(ctx, 'kernel_size') as number | number[],
        pick(ctx, ['stride', 'padding', 'dilation', 'groups', 'padding_mode', 'eps', 'momentum', 'affine', 'track_running_stats'])),
      options: {
        args_of: (m) => {
          const c = self(m).conv, b = self(m).bn;
          return [['in_channels', c.in_channels], ['out_channels', c.out_channels], ['kernel_size', c.kernel_size.slice()],
            ['stride', c.stride.slice()], ['padding', typeof c.padding === 'string' ? c.padding : c.padding.slice()], ['dilation', c.dilation.slice()],
            ['groups', c.groups], ['padding_mode', c.padding_mode], ['eps', b.eps], ['momentum', b.momentum], ['affine', b.affine],
            ['track_running_stats', b.track_running_stats]];
        },
      },
    }],
    ['ElementWiseRecurrentContainer', {
      cls: L.ElementWiseRecurrentContainer,
      build: (ctx) => new L.ElementWiseRecurrentContainer(required(ctx, 'sub_module') as layer.Callable1,
        required(ctx, 'element_wise_function') as layer.ElementWiseFunction),
      options: { args_of: (m) => [['sub_module', callableValue(m, 'sub_module')], ['element_wise_function', fnValue(self(m).element_wise_function)]] },
    }],
    ['LinearRecurrentContainer', {
      cls: L.LinearRecurrentContainer,
      build: (ctx) => new L.LinearRecurrentContainer(required(ctx, 'sub_module') as layer.Callable1, required(ctx, 'in_features') as number,
        required(ctx, 'out_features') as number, pick(ctx, ['bias'])),
      options: {
        args_of: (m) => {
          const s = self(m);
          return [['sub_module', callableValue(m, 'sub_module')], ['in_features', s.rc.out_features], ['out_features', s.sub_module_out_features],
            ['bias', s.rc.bias !== null]];
        },
      },
    }],
  ];
}

/** The upstream names of the 17 layer classes ('spikingjelly.clock_driven.layer.NeuNorm', …). */
export const LAYER_CLASS_NAMES: readonly string[] = entries().map(([n]) => PREFIX + n);

/** Registers (again) every layer class with the fixture kit under its upstream name. */
export function register_layer_classes(): void {
  for (const [name, e] of entries()) register_module_class(PREFIX + name, e.build, { ...e.options, class: e.cls });
}

register_layer_classes();
