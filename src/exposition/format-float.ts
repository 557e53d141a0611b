/** Number formatting for the encoders, as Prometheus' client libraries (prometheus/common expfmt) write numbers. */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/**
 * `v` as Go's strconv.FormatFloat(v, 'g', -1, 64) writes it, with expfmt's spellings of the specials: the shortest
 * digits that read back to `v`, in exponent form (`1e+06`, `1.5e-05`) when the decimal exponent is below -4 or at
 * least 6, else plain (`123456.7`, `0.0001`); `NaN`, `+Inf`, `-Inf`; `-0` for negative zero.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const neg = v < 0;
  const s = (neg ? -v : v).toExponential();
  const ePos = s.indexOf('e');
  const digits = s.charCodeAt(1) === 0x2e ? s[0] + s.slice(2, ePos) : s.slice(0, ePos);
  const exp = Number(s.slice(ePos + 1));
  let out: string;
  if (exp < -4 || exp >= 6) {
    const a = exp < 0 ? -exp : exp;
    out = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
  } else {
    const dp = exp + 1;
    if (dp <= 0) out = `0.${'0'.repeat(-dp)}${digits}`;
    else if (dp >= digits.length) out = digits + '0'.repeat(dp - digits.length);
    else out = `${digits.slice(0, dp)}.${digits.slice(dp)}`;
  }
  return neg ? `-${out}` : out;
}

/**
 * `v` as expfmt's OpenMetrics encoder writes it: like `formatGoFloat`, with `.0` added when the text has neither a
 * point nor an exponent (`1.0`, `0.0`, `-1.0`, `100000.0`). Negative zero is `-0.0`, where expfmt
 * writes `0.0`: a round trip keeps the sign.
 */
export function formatOpenMetricsFloat(v: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const s = formatGoFloat(v);
  if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) return s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e || c === 0x65) return s;
  }
  return `${s}.0`;
}

/** The next float after `x` toward +Inf (`up`) or -Inf, for finite nonzero `x`. */
function nextAfter(x: number, up: boolean): number {
  f64[0] = x;
  u64[0] = x > 0 === up ? (u64[0] as bigint) + 1n : (u64[0] as bigint) - 1n;
  return f64[0] as number;
}

/**
 * Integer milliseconds as OpenMetrics float seconds that Prometheus reads back to exactly `ms` (it truncates
 * `seconds * 1000` toward zero, so the plain quotient `ms / 1000` can come back one millisecond short): the shortest
 * text of the float nearest `ms / 1000`, or of a neighbour a few ulps away when that one truncates wrong.
 */
export function formatOpenMetricsTimestamp(ms: number): string {
  let x = ms / 1000;
  for (let step = 0; step < 8 && x !== 0; step++) {
    const back = Math.trunc(x * 1000);
    if (back === ms) break;
    x = nextAfter(x, back < ms);
  }
  return formatGoFloat(x);
}
