/**
 * Number parsing over bytes, without building strings on the common path: floats as Go's strconv.ParseFloat reads
 * them (the function Prometheus' parsers call), minus the forms Prometheus refuses (`_` and hex `p` exponents).
 */

/** What a read found. */
export const NumberStatus = { Ok: 0, Syntax: 1, Range: 2 } as const;
export type NumberStatus = (typeof NumberStatus)[keyof typeof NumberStatus];

const pow10 = new Float64Array(23);
pow10[0] = 1;
for (let i = 1; i < 23; i++) pow10[i] = (pow10[i - 1] as number) * 10;

const latin1 = (b: Uint8Array, s: number, e: number): string =>
  Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');

/** Whether `b[s, e)` equals the lower-case ASCII `word`, ignoring case. */
function matchFold(b: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (((b[s + i] as number) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Reads numbers from byte spans. Not safe for concurrent use (it has none in JS); one per parser. `value` holds
 * the result of the last successful read.
 */
export class NumberReader {
  value = 0;

  /**
   * Reads `b[s, e)` as Go's ParseFloat would: optional sign, decimal digits with an optional point and exponent, or
   * `inf`/`infinity` (optional sign) and `nan` (no sign) in any case. Syntax for anything else (hex, `_`, spaces,
   * empty); Range when the magnitude rounds to infinity (Go's ErrRange). Exactly rounded: up to 15 significant
   * digits and powers of ten up to 22 are computed directly (exact operands, one rounding), the rest goes through
   * `Number()` on the already validated text.
   */
  readFloat(b: Uint8Array, s: number, e: number): NumberStatus {
    let i = s;
    if (i >= e) return NumberStatus.Syntax;
    let c = b[i] as number;
    let neg = false;
    let signed = false;
    if (c === 0x2b || c === 0x2d) {
      neg = c === 0x2d;
      signed = true;
      if (++i >= e) return NumberStatus.Syntax;
      c = b[i] as number;
    }
    const lower = c | 0x20;
    if (lower === 0x69) {
      if (!matchFold(b, i, e, 'inf') && !matchFold(b, i, e, 'infinity')) return NumberStatus.Syntax;
      this.value = neg ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
      return NumberStatus.Ok;
    }
    if (lower === 0x6e) {
      if (signed || !matchFold(b, i, e, 'nan')) return NumberStatus.Syntax;
      this.value = Number.NaN;
      return NumberStatus.Ok;
    }
    let mant = 0;
    let nd = 0;
    let exp10 = 0;
    let digits = false;
    let dot = false;
    let truncated = false;
    for (; i < e; i++) {
      c = b[i] as number;
      if (c === 0x2e) {
        if (dot) return NumberStatus.Syntax;
        dot = true;
        continue;
      }
      const d = c - 0x30;
      if (d < 0 || d > 9) break;
      digits = true;
      if (nd === 0 && d === 0) {
        if (dot) exp10--;
        continue;
      }
      if (nd < 15) {
        mant = mant * 10 + d;
        nd++;
        if (dot) exp10--;
      } else {
        if (!dot) exp10++;
        if (d !== 0) truncated = true;
      }
    }
    if (!digits) return NumberStatus.Syntax;
    if (i < e && ((b[i] as number) | 0x20) === 0x65) {
      if (++i >= e) return NumberStatus.Syntax;
      let eneg = false;
      c = b[i] as number;
      if (c === 0x2b || c === 0x2d) {
        eneg = c === 0x2d;
        if (++i >= e) return NumberStatus.Syntax;
      }
      let x = 0;
      const start = i;
      for (; i < e; i++) {
        const d = (b[i] as number) - 0x30;
        if (d < 0 || d > 9) break;
        if (x < 100_000) x = x * 10 + d;
      }
      if (i === start) return NumberStatus.Syntax;
      exp10 += eneg ? -x : x;
    }
    if (i !== e) return NumberStatus.Syntax;
    let v: number;
    if (mant === 0) v = 0;
    else if (!truncated && exp10 >= -22 && exp10 <= 22) {
      v = exp10 >= 0 ? mant * (pow10[exp10] as number) : mant / (pow10[-exp10] as number);
    } else if (!truncated && exp10 > 22 && exp10 <= 22 + 15 - nd) {
      v = mant * (pow10[exp10 - 22] as number) * (pow10[22] as number);
    } else {
      v = Math.abs(Number(latin1(b, s, e)));
      if (v === Number.POSITIVE_INFINITY) return NumberStatus.Range;
    }
    this.value = neg ? -v : v;
    return NumberStatus.Ok;
  }

  /** Reads `b[s, e)` as an unsigned decimal integer; Range above 2^53 - 1. */
  readUint(b: Uint8Array, s: number, e: number): NumberStatus {
    if (s >= e) return NumberStatus.Syntax;
    let x = 0;
    for (let i = s; i < e; i++) {
      const d = (b[i] as number) - 0x30;
      if (d < 0 || d > 9) return NumberStatus.Syntax;
      x = x * 10 + d;
    }
    if (x > Number.MAX_SAFE_INTEGER) return NumberStatus.Range;
    this.value = x;
    return NumberStatus.Ok;
  }
}
