/**
 * Go's `math.Sin`, `Cos` and `Tan` (Cephes polynomials, Payne–Hanek reduction above 2^29), bit for bit: V8's
 * fdlibm versions differ in the last place (`sin(10)`, `tan(10)`), and PromQL answers must match upstream's.
 */
import { fromWords, highWord, lowWord } from './go-exp-log.ts';

const sinC = [
  1.5896230157654656e-10, -2.5050747762857807e-8, 0.0000027557313621385722, -0.0001984126982958954,
  0.008333333333322118, -0.1666666666666663,
];
const cosC = [
  -1.1358536521387682e-11, 2.087570084197473e-9, -2.755731417929674e-7, 0.000024801587288851704, -0.0013888888888873056,
  0.041666666666666595,
];
const tanP = [-13093.693918138379, 1153516.6483858742, -17956525.197648488];
const tanQ = [1, 13681.296347069296, -1320892.3444021097, 25008380.18233579, -53869575.592945464];
const PI4A = 0.7853981256484985;
const PI4B = 3.774894707930798e-8;
const PI4C = 2.6951514290790595e-15;
const reduceThreshold = 2 ** 29;

/** 4/π in 64-bit digits: 4/π = Σ mPi4[i] × 2^(-64i). */
const mPi4 = [
  0x0000000000000001n,
  0x45f306dc9c882a53n,
  0xf84eafa3ea69bb81n,
  0xb6c52b3278872083n,
  0xfca2c757bd778ac3n,
  0x6e48dc74849ba5c0n,
  0x0c925dd413a32439n,
  0xfc3bd63962534e7dn,
  0xd1046bea5d768909n,
  0xd338e04d68befc82n,
  0x7323ac7306a673e9n,
  0x3908bf177bf25076n,
  0x3ff12fffbc0b301fn,
  0xde5e2316b414da3en,
  0xda6cfd9e4f96136en,
  0x9e8c7ecd3cbfd45an,
  0xea4f758fd7cbe2f6n,
  0x7a0e73ef14a525d4n,
  0xd7f6bf623f1aba10n,
  0xac06608df8f6d757n,
];
const mask64 = (1n << 64n) - 1n;

/** Go's `a << n` on uint64: 0 once n reaches 64. */
function shl(a: bigint, n: number): bigint {
  return n >= 64 || n < 0 ? 0n : (a << BigInt(n)) & mask64;
}

/** Go's `a >> n` on uint64 (n is unsigned there, so a negative n is huge): 0 once n reaches 64. */
function shr(a: bigint, n: number): bigint {
  return n >= 64 || n < 0 ? 0n : a >> BigInt(n);
}

/** The octant (`j`) and the reduced argument (`z`) of x ≥ 0; written into `reduced`. */
const reduced = { j: 0, z: 0 };

/** Payne–Hanek reduction of x ≥ 2^29 by π/4, as Go's `trigReduce` (64-bit digit arithmetic, here in BigInt). */
function trigReduce(x: number): void {
  const hi = highWord(x);
  const exp = ((hi >>> 20) & 0x7ff) - 1023 - 52;
  const ix = (BigInt((hi & 0xfffff) | 0x100000) << 32n) | BigInt(lowWord(x));
  const digit = Math.floor((exp + 61) / 64);
  const shift = BigInt((exp + 61) % 64);
  const at = (i: number) => mPi4[i] as bigint;
  const take = (i: number) => ((at(i) << shift) | (at(i + 1) >> (64n - shift))) & mask64;
  const z0 = take(digit);
  const z1 = take(digit + 1);
  const z2 = take(digit + 2);
  const z2hi = (z2 * ix) >> 64n;
  const z1full = z1 * ix;
  const z1hi = z1full >> 64n;
  const z1lo = z1full & mask64;
  const z0lo = (z0 * ix) & mask64;
  const loSum = z1lo + z2hi;
  const lo = loSum & mask64;
  let h = (z0lo + z1hi + (loSum >> 64n)) & mask64;
  let j = Number(h >> 61n);
  h = ((h << 3n) | (lo >> 61n)) & mask64;
  const lz = h === 0n ? 64 : 64 - h.toString(2).length;
  const e = BigInt(1023 - (lz + 1));
  h = shl(h, lz + 1) | shr(lo, 64 - (lz + 1));
  h >>= 64n - 52n;
  h |= e << 52n;
  let z = fromWords(Number(h >> 32n), Number(h & 0xffffffffn));
  if ((j & 1) === 1) {
    j = (j + 1) & 7;
    z--;
  }
  reduced.j = j;
  reduced.z = z * (Math.PI / 4);
}

/** Reduces x ≥ 0 to an octant and an offset in [-π/4, π/4] as Go's sin/cos/tan do. */
function reduce(x: number): void {
  if (x >= reduceThreshold) {
    trigReduce(x);
    return;
  }
  let j = Math.trunc(x * (4 / Math.PI));
  let y = j;
  if ((j & 1) === 1) {
    j++;
    y++;
  }
  reduced.j = j;
  reduced.z = x - y * PI4A - y * PI4B - y * PI4C;
}

/** Go's sine polynomial: `z + z·zz·(((((s0·zz + s1)·zz + s2)·zz + s3)·zz + s4)·zz + s5)`. */
function sinPoly(z: number, zz: number): number {
  let p = sinC[0] as number;
  for (let i = 1; i < 6; i++) p = p * zz + (sinC[i] as number);
  return z + z * zz * p;
}

/** Go's cosine polynomial: `1 − zz/2 + zz²·(((((c0·zz + c1)·zz + c2)·zz + c3)·zz + c4)·zz + c5)`. */
function cosPoly(zz: number): number {
  let p = cosC[0] as number;
  for (let i = 1; i < 6; i++) p = p * zz + (cosC[i] as number);
  return 1 - 0.5 * zz + zz * zz * p;
}

/** `math.Sin`: ±0 and NaN unchanged, ±Inf → NaN. */
export function goSin(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Number.NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  reduce(x);
  let j = reduced.j & 7;
  const z = reduced.z;
  if (j > 3) {
    sign = !sign;
    j -= 4;
  }
  const zz = z * z;
  const y = j === 1 || j === 2 ? cosPoly(zz) : sinPoly(z, zz);
  return sign ? -y : y;
}

/** `math.Cos`: ±Inf and NaN → NaN. */
export function goCos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  let sign = false;
  reduce(Math.abs(x));
  let j = reduced.j & 7;
  const z = reduced.z;
  if (j > 3) {
    j -= 4;
    sign = !sign;
  }
  if (j > 1) sign = !sign;
  const zz = z * z;
  const y = j === 1 || j === 2 ? sinPoly(z, zz) : cosPoly(zz);
  return sign ? -y : y;
}

/** `math.Tan`: ±0 and NaN unchanged, ±Inf → NaN. */
export function goTan(x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Number.NaN;
  let sign = false;
  if (x < 0) {
    x = -x;
    sign = true;
  }
  reduce(x);
  const j = reduced.j;
  const z = reduced.z;
  const zz = z * z;
  let y = z;
  if (zz > 1e-14) {
    const p = ((tanP[0] as number) * zz + (tanP[1] as number)) * zz + (tanP[2] as number);
    const q =
      (((zz + (tanQ[1] as number)) * zz + (tanQ[2] as number)) * zz + (tanQ[3] as number)) * zz + (tanQ[4] as number);
    y = z + z * ((zz * p) / q);
  }
  if ((j & 2) === 2) y = -1 / y;
  return sign ? -y : y;
}
