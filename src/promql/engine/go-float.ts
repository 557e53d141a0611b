/**
 * Go's float formatting as PromQL output shows it: `strconv.FormatFloat(f, 'f', -1, 64)` (count_values' label
 * values) and `%g`/`%v` of a float64 (numbers inside warnings and error messages), byte for byte.
 *
 * Both print the shortest digit string that reads back as the same float64 — the digits JavaScript's
 * `toExponential()` gives — and differ only in layout.
 */

/** The shortest round-trip digits of a finite, non-zero |f| (no leading or trailing zeros) and its exponent. */
function shortestDigits(f: number): { digits: string; exp: number } {
  // toExponential() without a fraction count prints as many digits as needed to identify the value uniquely.
  const s = Math.abs(f).toExponential();
  const e = s.indexOf('e');
  const mantissa = s.slice(0, e);
  return { digits: mantissa.replace('.', ''), exp: Number(s.slice(e + 1)) };
}

/** `NaN`, `+Inf`, `-Inf` as Go spells them, or null for a finite value. */
function special(f: number): string | null {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  return null;
}

/** Lays out `digits` × 10^(exp+1−len) without an exponent: `0.000123`, `1500`, `12.5`. */
function fixed(digits: string, exp: number): string {
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * `strconv.FormatFloat(f, 'f', -1, 64)`: the shortest digits that round-trip, never in exponent notation
 * (`1e21` → `1000000000000000000000`, `5e-324` → `0.000…0005` with 323 zeros), `-0` for negative zero, and
 * `NaN`, `+Inf`, `-Inf`.
 */
export function formatGoFloat(f: number): string {
  // In [1e-6, 1e21) JavaScript's own shortest form is fixed notation with the same digits.
  const abs = Math.abs(f);
  if (abs >= 1e-6 && abs < 1e21) return String(f);
  const sp = special(f);
  if (sp !== null) return sp;
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(f);
  return (f < 0 ? '-' : '') + fixed(digits, exp);
}

/**
 * `fmt.Sprintf("%g", f)` (also `%v`): the shortest round-trip digits, in exponent notation when the decimal
 * exponent is below −4 or at least 6 (`1e+06`, `1.5e-05`, two exponent digits at least), plainly otherwise
 * (`100000`, `0.0001`); `NaN`, `+Inf`, `-Inf`, `-0`.
 */
export function formatGoFloatG(f: number): string {
  const sp = special(f);
  if (sp !== null) return sp;
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const { digits, exp } = shortestDigits(f);
  const sign = f < 0 ? '-' : '';
  if (exp >= -4 && exp < 6) return sign + fixed(digits, exp);
  const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
  const absExp = Math.abs(exp);
  return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
}
