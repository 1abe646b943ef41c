/** Number-array checks shared by the dynamics tests. */

/** got ≈ want elementwise: |got − want| <= tol · max(1, |want|); names the first index that is off. */
export function close(got: number[], want: number[], tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => { if (!(Math.abs(got[k] - w) <= tol * Math.max(1, Math.abs(w)))) throw new Error(`index ${k}: expected ${w}, got ${got[k]} (all: ${got})`); });
}

/** The index and value of the maximum. */
export function peak(xs: number[]): [number, number] {
  let k = 0;
  xs.forEach((x, i) => { if (x > xs[k]) k = i; });
  return [k, xs[k]];
}
