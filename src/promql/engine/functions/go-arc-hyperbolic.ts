/**
 * Go's `math.Atan`, `Asin`, `Acos` (Cephes), `Sinh`, `Cosh`, `Tanh` and `Asinh`, `Acosh`, `Atanh` (FreeBSD), bit
 * for bit, built on the Go `Exp`/`Log`/`Log1p` of `go-exp-log.ts`. V8's versions differ in the last place
 * (`atan(10)`, `sinh(10)`), and PromQL answers must match upstream's.
 */
import { goExp, goLog, goLog1p } from './go-exp-log.ts';

const Morebits = 6.123233995736766e-17;
const Tan3pio8 = 2.414213562373095;

/** Cephes' rational approximation of atan on [0, 0.66]. */
function xatan(x: number): number {
  const P0 = -0.8750608600031904;
  const P1 = -16.157537187333652;
  const P2 = -75.00855792314705;
  const P3 = -122.88666844901361;
  const P4 = -64.85021904942025;
  const Q0 = 24.858464901423062;
  const Q1 = 165.02700983169885;
  const Q2 = 432.88106049129027;
  const Q3 = 485.3903996359137;
  const Q4 = 194.5506571482614;
  let z = x * x;
  z = (z * ((((P0 * z + P1) * z + P2) * z + P3) * z + P4)) / (((((z + Q0) * z + Q1) * z + Q2) * z + Q3) * z + Q4);
  return x * z + x;
}

/** atan of x > 0, reduced into [0, 0.66]. */
function satan(x: number): number {
  if (x <= 0.66) return xatan(x);
  if (x > Tan3pio8) return Math.PI / 2 - xatan(1 / x) + Morebits;
  return Math.PI / 4 + xatan((x - 1) / (x + 1)) + 0.5 * Morebits;
}

/** `math.Atan`: ±0 unchanged, ±Inf → ±π/2, NaN → NaN. */
export function goAtan(x: number): number {
  if (x === 0) return x;
  if (x > 0) return satan(x);
  return -satan(-x);
}

/** `math.Asin`: ±0 unchanged, NaN outside [-1, 1]. */
export function goAsin(x: number): number {
  if (x === 0) return x;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  if (x > 1) return Number.NaN;
  let temp = Math.sqrt(1 - x * x);
  temp = x > 0.7 ? Math.PI / 2 - satan(temp / x) : satan(x / temp);
  return sign ? -temp : temp;
}

/** `math.Acos`: π/2 − Asin(x). */
export function goAcos(x: number): number {
  return Math.PI / 2 - goAsin(x);
}

/** `math.Sinh`: a Hart & Cheney polynomial below 0.5, Exp above. */
export function goSinh(x: number): number {
  const P0 = -630767.3640497717;
  const P1 = -89912.72022039509;
  const P2 = -2894.211355989564;
  const P3 = -26.30563213397497;
  const Q0 = -630767.3640497717;
  const Q1 = 15215.17378790019;
  const Q2 = -173.6789535582337;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x > 21) temp = goExp(x) * 0.5;
  else if (x > 0.5) temp = (goExp(x) - goExp(-x)) * 0.5;
  else {
    const sq = x * x;
    temp = (((P3 * sq + P2) * sq + P1) * sq + P0) * x;
    temp = temp / (((sq + Q2) * sq + Q1) * sq + Q0);
  }
  return sign ? -temp : temp;
}

/** `math.Cosh`. */
export function goCosh(x: number): number {
  x = Math.abs(x);
  if (x > 21) return goExp(x) * 0.5;
  return (goExp(x) + goExp(-x)) * 0.5;
}

/** `math.Tanh`: ±1 beyond |x| > 44, `1 − 2/(e^2x + 1)` from 0.625, a Cody & Waite rational below. */
export function goTanh(x: number): number {
  const MAXLOG = 88.02969193111305;
  let z = Math.abs(x);
  if (z > 0.5 * MAXLOG) return x < 0 ? -1 : 1;
  if (z >= 0.625) {
    const s = goExp(2 * z);
    z = 1 - 2 / (s + 1);
    return x < 0 ? -z : z;
  }
  if (x === 0) return x;
  const s = x * x;
  return (
    x +
    (x * s * ((-0.9643991794250523 * s + -99.28772310019185) * s + -1614.6876844170845)) /
      (((s + 112.81167849163293) * s + 2235.4883906010045) * s + 4844.063053251255)
  );
}

const Ln2 = Math.LN2;

/** `math.Asinh`. */
export function goAsinh(x: number): number {
  if (Number.isNaN(x) || !Number.isFinite(x)) return x;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x > 2 ** 28) temp = goLog(x) + Ln2;
  else if (x > 2) temp = goLog(2 * x + 1 / (Math.sqrt(x * x + 1) + x));
  else if (x < 2 ** -28) temp = x;
  else temp = goLog1p(x + (x * x) / (1 + Math.sqrt(1 + x * x)));
  return sign ? -temp : temp;
}

/** `math.Acosh`: NaN below 1. */
export function goAcosh(x: number): number {
  if (x < 1 || Number.isNaN(x)) return Number.NaN;
  if (x === 1) return 0;
  if (x >= 2 ** 28) return goLog(x) + Ln2;
  if (x > 2) return goLog(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return goLog1p(t + Math.sqrt(2 * t + t * t));
}

/** `math.Atanh`: ±Inf at ±1, NaN outside [-1, 1]. */
export function goAtanh(x: number): number {
  if (x < -1 || x > 1 || Number.isNaN(x)) return Number.NaN;
  if (x === 1) return Number.POSITIVE_INFINITY;
  if (x === -1) return Number.NEGATIVE_INFINITY;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  let temp: number;
  if (x < 2 ** -28) temp = x;
  else if (x < 0.5) {
    temp = x + x;
    temp = 0.5 * goLog1p(temp + (temp * x) / (1 - x));
  } else temp = 0.5 * goLog1p((x + x) / (1 - x));
  return sign ? -temp : temp;
}
