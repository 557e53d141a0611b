/**
 * Go's number parsing and formatting as PromQL uses them: `strconv.ParseInt(s, 0, 64)` falling back to
 * `strconv.ParseFloat(s, 64)` for number literals, `FormatFloat(v, 'f', -1, 64)` for printing them, `%v` (shortest
 * `%g`) for fill values, `%f` for error messages and `math.Round`.
 */
import { goQuote } from './go-strings.ts';

/** `math.Round`: half away from zero. */
export function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** Go's `underscoreOK`: underscores only between digits, or between a base prefix and a digit. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1] as string)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** `strconv.ParseInt(s, 0, 64)` without a sign; `undefined` on any error. */
function parseInt64Base0(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = (s[1] ?? '').toLowerCase();
    if (s.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
      base = p === 'b' ? 2 : p === 'o' ? 8 : 16;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = Number.parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
    if (n > 0x7fffffffffffffffn) return undefined;
  }
  if (underscores && !underscoreOK(s)) return undefined;
  return n;
}

/** `strconv.ParseFloat(s, 64)`: the value, or Go's error text. */
export function goParseFloat(s: string): { value: number; error?: string } {
  const fail = (why: string, value = 0) => ({ value, error: `strconv.ParseFloat: parsing ${goQuote(s)}: ${why}` });
  let body = s;
  let sign = 1;
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? -1 : 1;
    body = body.slice(1);
  }
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return { value: sign * Number.POSITIVE_INFINITY };
  if (lower === 'nan' && sign === 1 && s[0] !== '+') return { value: Number.NaN };
  if (body.includes('_') && !underscoreOK(body)) return fail('invalid syntax');
  const clean = body.replaceAll('_', '');
  let value: number;
  const hexFloat = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(clean);
  if (hexFloat) {
    const int = hexFloat[1] ?? '';
    const frac = hexFloat[2] ?? '';
    if (int === '' && frac === '') return fail('invalid syntax');
    const mantissa = Number(BigInt(`0x${int}${frac}`));
    value = mantissa * 2 ** (Number(hexFloat[3]) - 4 * frac.length);
  } else if (/^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(clean)) {
    value = Number(clean);
  } else {
    return fail('invalid syntax');
  }
  if (!Number.isFinite(value)) return fail('value out of range', sign * value);
  return { value: sign * value };
}

/** A PromQL number literal's value, as upstream's parser computes it: integer syntax first, then float syntax. */
export function parseNumberLiteral(s: string): { value: number; error?: string } {
  const n = parseInt64Base0(s);
  if (n !== undefined) return { value: Number(n) };
  return goParseFloat(s);
}

/** The shortest round-trip decimal digits of |v| and the position of the decimal point (`0.d1d2… × 10^dp`). */
function shortestDigits(v: number): { digits: string; dp: number } {
  const [mant, exp] = Math.abs(v).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  return { digits, dp: Number(exp) + 1 };
}

/** `strconv.FormatFloat(v, 'f', -1, 64)`, with `+Inf`, `-Inf` and `NaN` as Prometheus prints them. */
export function formatFloatF(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const neg = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return `${neg}0`;
  const { digits, dp } = shortestDigits(v);
  if (dp <= 0) return `${neg}0.${'0'.repeat(-dp)}${digits}`;
  if (dp >= digits.length) return `${neg}${digits}${'0'.repeat(dp - digits.length)}`;
  return `${neg}${digits.slice(0, dp)}.${digits.slice(dp)}`;
}

/** Go's `%v` of a float64 (shortest `%g`, exponent form below 1e-4 and from 1e21… as Go decides with precision 6). */
export function formatFloatV(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const neg = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return `${neg}0`;
  const { digits, dp } = shortestDigits(v);
  const exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${neg}${mant}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return formatFloatF(v);
}

/** Go's `%f` (six decimals), with `+Inf`, `-Inf` and `NaN` spelled as Go spells them. */
export function formatFloatFixed6(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return v.toFixed(6);
}
