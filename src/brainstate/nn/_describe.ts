/**
 * brainstate.util ParamDescriber (brainstate 0.1.10): `Expon.desc(4000, tau=5.)` — a deferred constructor whose
 * identifier (class and arguments) lets AlignPostProj merge projections with the same synapse/output descriptors.
 */
import { fail, isPlainObject } from '../../torch/utils/checks';


const objIds = new WeakMap<object, number>();
let nextId = 1;
const idOf = (o: object): number => { let k = objIds.get(o); if (k === undefined) { k = nextId++; objIds.set(o, k); } return k; };

/** ParamDescriber(cls, ...args): a deferred `new cls(...args)`; `identifier` is equal for the same class and arguments. */
export class ParamDescriber<T = any> {
  cls: new (...args: any[]) => T;
  args: unknown[];
  identifier: string;

  constructor(cls: new (...args: any[]) => T, ...args: unknown[]) {
    if (typeof cls !== 'function') fail('brainstate.util.ParamDescriber', 'cls', 'a class', cls);
    this.cls = cls;
    this.args = args;
    // numbers/strings/arrays/plain objects by value; Tensors, functions and other objects by identity (Python hashes)
    this.identifier = `${cls.name}#${idOf(cls)}(` + JSON.stringify(args, (_k, v) => {
      if (v === undefined) return '<undefined>';
      if (typeof v === 'function' || (typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v))) return `<obj#${idOf(v)}>`;
      return v;
    }) + ')';
  }

  /** Python's `__call__`: builds the object. */
  call(...extra: unknown[]): T { return new this.cls(...this.args, ...extra); }
}

/** The `desc` classmethod of brainstate's ParamDescriberObject, for any class. */
export function describe<T>(cls: new (...args: any[]) => T, ...args: unknown[]): ParamDescriber<T> {
  return new ParamDescriber(cls, ...args);
}

