/**
 * Go's `math.Exp`, `Log`, `Log1p`, `Log2`, `Log10` and `Frexp` as Prometheus runs them on amd64, bit for bit:
 * V8's `Math.exp`/`Math.log2`/`Math.log10` round differently in the last place (`exp(-10)`, `log2(10)`,
 * `log10(1000)` all differ), and PromQL answers must match upstream's to the last float. `Exp` and `Log` follow
 * Go's amd64 assembly (the SSE2 path of `Exp`, taken by CPUs without FMA), the rest Go's portable code.
 */

const view = new DataView(new ArrayBuffer(8));

/** The high 32 bits of `x`'s IEEE 754 encoding. */
export function highWord(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(0);
}

/** The low 32 bits of `x`'s IEEE 754 encoding. */
export function lowWord(x: number): number {
  view.setFloat64(0, x);
  return view.getUint32(4);
}

/** The float whose encoding has these high and low 32 bits. */
export function fromWords(hi: number, lo: number): number {
  view.setUint32(0, hi >>> 0);
  view.setUint32(4, lo >>> 0);
  return view.getFloat64(0);
}

/** x86 `CVTSD2SL`: round half to even into int32, or the "integer indefinite" -2^31 when out of range or NaN. */
function cvtsd2sl(x: number): number {
  if (!(x >= -2147483648.5 && x < 2147483647.5)) return -2147483648;
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

const LOG2E = Math.LOG2E;
const LN2U = 0.693147180559663;
const LN2L = 2.8235290563031577e-13;
const expOverflow = 709.782712893384;
const expP = [
  0.0000248015873015873, 0.0001984126984126984, 0.001388888888888889, 0.008333333333333333, 0.041666666666666664,
  0.16666666666666666,
];

/** `math.Exp` (amd64, non-FMA): Shibata's reduction by ln 2 and 1/16, a Taylor series, four squarings. */
export function goExp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === Number.NEGATIVE_INFINITY) return 0;
  if (x > expOverflow) return Number.POSITIVE_INFINITY;
  const k = cvtsd2sl(x * LOG2E);
  let r = x - k * LN2U;
  r = r - k * LN2L;
  r *= 0.0625;
  let p = expP[0] as number;
  for (let i = 1; i < expP.length; i++) p = p * r + (expP[i] as number);
  p = p * r + 0.5;
  p = p * r + 1;
  r = r * p;
  for (let i = 0; i < 4; i++) r = r * (r + 2);
  r = r + 1;
  const e = k + 0x3ff;
  if (e <= 0) return 0;
  if (e >= 0x7ff) return Number.POSITIVE_INFINITY;
  return r * fromWords(e * 0x100000, 0);
}

const HSqrt2 = Math.SQRT1_2;
const Ln2Hi = 0.6931471803691238;
const Ln2Lo = 1.9082149292705877e-10;
const L1 = 0.6666666666666735;
const L2 = 0.3999999999940942;
const L3 = 0.2857142874366239;
const L4 = 0.22222198432149784;
const L5 = 0.1818357216161805;
const L6 = 0.15313837699209373;
const L7 = 0.14798198605116586;

/** `math.Log` (amd64 assembly): ±0 → -Inf, negative → NaN, +Inf and NaN unchanged. */
export function goLog(x: number): number {
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (Number.isNaN(x)) return x;
  if (x < 0) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  const hi = highWord(x);
  let k = ((hi >>> 20) & 0x7ff) - 0x3fe;
  let f1 = fromWords((hi & 0x000fffff) | 0x3fe00000, lowWord(x));
  if (f1 <= HSqrt2) {
    k -= 1;
    f1 *= 2;
  }
  const f = f1 - 1;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (((L7 * s4 + L5) * s4 + L3) * s4 + L1);
  const t2 = s4 * ((L6 * s4 + L4) * s4 + L2);
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * Ln2Hi - (hfsq - (s * (hfsq + R) + k * Ln2Lo) - f);
}

/** `math.Frexp`: `x = frac × 2^exp` with |frac| in [0.5, 1); ±0, ±Inf and NaN come back with exp 0. */
export function goFrexp(x: number): { frac: number; exp: number } {
  if (x === 0 || !Number.isFinite(x)) return { frac: x, exp: 0 };
  let exp = 0;
  if (Math.abs(x) < 2.2250738585072014e-308) {
    x *= 2 ** 52;
    exp = -52;
  }
  const hi = highWord(x);
  exp += ((hi >>> 20) & 0x7ff) - 1022;
  return { frac: fromWords((hi & 0x800fffff) | 0x3fe00000, lowWord(x)), exp };
}

/** `math.Log2`: exact for powers of two, else `Log(frac)/ln 2 + exp`. */
export function goLog2(x: number): number {
  const { frac, exp } = goFrexp(x);
  if (frac === 0.5) return exp - 1;
  return goLog(frac) * Math.LOG2E + exp;
}

/** `math.Log10`: `Log(x) × (1/ln 10)`, so `log10(1000)` is 2.9999999999999996 as in Go. */
export function goLog10(x: number): number {
  return goLog(x) * Math.LOG10E;
}

const Sqrt2M1 = 0.41421356237309503;
const Sqrt2HalfM1 = -0.2928932188134525;
const Lp = [L7, L6, L5, L4, L3, L2, L1];

/** `math.Log1p`: the FreeBSD algorithm as Go simplified it. */
export function goLog1p(x: number): number {
  if (x < -1 || Number.isNaN(x)) return Number.NaN;
  if (x === -1) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  const absx = Math.abs(x);
  let f = 0;
  let iu = -1; // the mantissa bits above the low word, or 1 for "k == 0"; -1 while unset
  let k = 1;
  if (absx < Sqrt2M1) {
    if (absx < 2 ** -29) {
      if (absx < 2 ** -54) return x;
      return x - x * x * 0.5;
    }
    if (x > Sqrt2HalfM1) {
      k = 0;
      f = x;
      iu = 1;
    }
  }
  let c = 0;
  if (k !== 0) {
    let u: number;
    if (absx < 2 ** 53) {
      u = 1 + x;
      k = ((highWord(u) >>> 20) & 0x7ff) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1);
      c /= u;
    } else {
      u = x;
      k = ((highWord(u) >>> 20) & 0x7ff) - 1023;
      c = 0;
    }
    const mhi = highWord(u) & 0x000fffff;
    const mlo = lowWord(u);
    // iu < 0x0006a09e667f3bcd (the mantissa of √2)?
    if (mhi < 0x6a09e || (mhi === 0x6a09e && mlo < 0x667f3bcd)) {
      u = fromWords(mhi | 0x3ff00000, mlo);
      iu = mhi === 0 && mlo === 0 ? 0 : 1;
    } else {
      k++;
      u = fromWords(mhi | 0x3fe00000, mlo);
      iu = 1; // (2^52 - iu) >> 2 is never 0 here
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (iu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c += k * Ln2Lo;
      return k * Ln2Hi + c;
    }
    const R = hfsq * (1 - 0.6666666666666666 * f);
    if (k === 0) return f - R;
    return k * Ln2Hi - (R - (k * Ln2Lo + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  let R = 0;
  for (const l of Lp) R = z * (l + R);
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * Ln2Hi - (hfsq - (s * (hfsq + R) + (k * Ln2Lo + c)) - f);
}
