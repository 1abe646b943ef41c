/**
 * erf / erfc (W. J. Cody's CALERF, double precision) against reference values computed with mpmath at 200 bits and
 * rounded to double; Cody's approximations are within a few ulp, so relative 1e-15 (erfc: 2e-15) is the bar.
 */
import { erf, erfc } from '../../src/core/special';

const closeRel = (got: number, want: number, rtol: number): void => {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rtol * Math.abs(want));
};

describe('erf', () => {
  // one point per Cody range (|x| <= 0.46875, <= 4, > 4), the range edges, and tiny arguments where erf(x) ≈ 2x/√π
  const reference: [number, number][] = [
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [-3, -0.9999779095030014],
    [1e-10, 1.1283791670955126e-10],
    [1e-300, 1.1283791670955126e-300],
    [0.46875, 0.49261347321793797],
    [4, 0.9999999845827421],
    [-4, -0.9999999845827421],
    [5, 0.9999999999984626],
  ];
  test.each(reference)('erf(%p) = %p to 1e-15 relative', (x, want) => closeRel(erf(x), want, 1e-15));

  test('odd symmetry', () => {
    for (const x of [1e-20, 0.1, 0.46875, 0.47, 1.5, 3.99, 4.01, 7, 30]) expect(erf(-x)).toBe(-erf(x));
  });

  test('±0, ±Infinity, NaN, saturation', () => {
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
    expect(erf(6)).toBe(1);
    expect(erf(-1e300)).toBe(-1);
  });

  // Cody's pieces meet without a visible step (erf is only ulp-monotone: exp's rounding wiggles by 1 ulp)
  test('continuous across the range boundaries', () => {
    for (const b of [0.46875, 4]) {
      const below = erf(b), above = erf(b * (1 + 2 ** -52));
      expect(Math.abs(above - below)).toBeLessThanOrEqual(4 * 2 ** -53);
    }
  });
});

describe('erfc', () => {
  const reference: [number, number][] = [
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [-3, 1.9999779095030015],
    [1e-10, 0.999999999887162],
    [0.46875, 0.507386526782062],
    [4, 1.541725790028002e-8],
    [-4, 1.999999984582742],
    [5, 1.537459794428035e-12],
    [6, 2.1519736712498913e-17],
    [10, 2.088487583762545e-45],
  ];
  // relative accuracy also where erfc is tiny (1 - erf would be 0 there)
  test.each(reference)('erfc(%p) = %p to 2e-15 relative', (x, want) => closeRel(erfc(x), want, 2e-15));

  test('±0, ±Infinity, NaN, underflow', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(-0)).toBe(1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(NaN)).toBeNaN();
    expect(erfc(30)).toBe(0);
  });

  test('erfc = 1 - erf to double absolute accuracy', () => {
    for (let x = -8; x <= 8; x += 0.01) expect(Math.abs(erfc(x) - (1 - erf(x)))).toBeLessThanOrEqual(2 ** -52);
  });
});
