/** Argument checking shared by every public function: errors name the function, the argument, what was expected and what came. */

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return String(x);
  if (Array.isArray(x)) return x.length <= 8 ? `[${x.map(describe).join(', ')}]` : `an array of length ${x.length}`;
  const name = (x as object).constructor?.name;
  if (name === 'Tensor') {
    const t = x as { shape: number[]; dtype: string };
    return `a ${t.dtype} Tensor of shape [${t.shape.join(', ')}]`;
  }
  return name && name !== 'Object' ? `a ${name}` : typeof x;
}

export function fail(fn: string, arg: string, expected: string, got: unknown): never {
  throw new Error(`${fn}: ${arg} must be ${expected}, got ${describe(got)}`);
}

/** Checks a trailing options object: unknown keys raise (a typo must not pass silently). */
export function checkOptions<T extends object>(fn: string, opts: T | undefined, allowed: readonly string[]): Partial<T> {
  if (opts === undefined || opts === null) return {};
  if (typeof opts !== 'object' || Array.isArray(opts) || (opts as object).constructor?.name === 'Tensor') {
    fail(fn, 'options', `an options object with keys ${allowed.join(', ')}`, opts);
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) throw new Error(`${fn}: unknown option ${JSON.stringify(k)}; expected one of ${allowed.join(', ') || '(none)'}`);
  }
  return opts;
}

export function checkInt(fn: string, arg: string, x: unknown, min = -Infinity): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < min) fail(fn, arg, min === -Infinity ? 'an integer' : `an integer >= ${min}`, x);
  return x;
}

export function checkNumber(fn: string, arg: string, x: unknown): number {
  if (typeof x !== 'number') fail(fn, arg, 'a number', x);
  return x;
}

export function checkBool(fn: string, arg: string, x: unknown): boolean {
  if (typeof x !== 'boolean') fail(fn, arg, 'a boolean', x);
  return x;
}
