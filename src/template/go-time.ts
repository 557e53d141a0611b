/**
 * Go's time values as templates see them: a JavaScript Date stands for a `time.Time` in UTC (it prints as
 * `2006-01-02 15:04:05.999999999 +0000 UTC` and has the methods templates call, such as `.Format` and `.Unix`),
 * and GoDuration stands for a `time.Duration`.
 */

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number, w: number, c = '0') => String(n).padStart(w, c);

/** Layout elements of Go's reference time, longest first where one is a prefix of another. */
const elements = [
  'January',
  'Monday',
  'Jan',
  'Mon',
  'MST',
  '2006',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '__2',
  '002',
  '_2',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

/**
 * Formats `d` (in UTC) with a Go layout such as `2006-01-02 15:04:05`. Supports the reference-time elements of
 * Go's `time` package; fractional seconds `.000`/`,000` (fixed) and `.999` (trailing zeros dropped) to 9 digits,
 * the digits beyond milliseconds being zeros.
 */
export function formatGoTime(d: Date, layout: string): string {
  const ms = d.getUTCMilliseconds();
  let out = '';
  let i = 0;
  while (i < layout.length) {
    const frac = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (frac !== null && layout.slice(i - 2, i) === '05') {
      const n = (frac[1] as string).length;
      const digits = (pad(ms, 3) + '0'.repeat(6)).slice(0, n);
      if ((frac[1] as string)[0] === '0') out += (layout[i] as string) + digits;
      else {
        const trimmed = digits.replace(/0+$/, '');
        if (trimmed !== '') out += (layout[i] as string) + trimmed;
      }
      i += frac[0].length;
      continue;
    }
    const el = elements.find((e) => layout.startsWith(e, i));
    if (el === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    out += element(d, el);
    i += el.length;
  }
  return out;
}

function element(d: Date, el: string): string {
  const h = d.getUTCHours();
  switch (el) {
    case 'January':
      return months[d.getUTCMonth()] as string;
    case 'Jan':
      return (months[d.getUTCMonth()] as string).slice(0, 3);
    case 'Monday':
      return days[d.getUTCDay()] as string;
    case 'Mon':
      return (days[d.getUTCDay()] as string).slice(0, 3);
    case 'MST':
      return 'UTC';
    case '2006':
      return pad(d.getUTCFullYear(), 4);
    case '06':
      return pad(d.getUTCFullYear() % 100, 2);
    case '01':
      return pad(d.getUTCMonth() + 1, 2);
    case '1':
      return String(d.getUTCMonth() + 1);
    case '02':
      return pad(d.getUTCDate(), 2);
    case '_2':
      return pad(d.getUTCDate(), 2, ' ');
    case '2':
      return String(d.getUTCDate());
    case '002':
    case '__2': {
      const yday = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      return el === '002' ? pad(yday, 3) : pad(yday, 3, ' ');
    }
    case '15':
      return pad(h, 2);
    case '03':
      return pad(h % 12 === 0 ? 12 : h % 12, 2);
    case '3':
      return String(h % 12 === 0 ? 12 : h % 12);
    case '04':
      return pad(d.getUTCMinutes(), 2);
    case '4':
      return String(d.getUTCMinutes());
    case '05':
      return pad(d.getUTCSeconds(), 2);
    case '5':
      return String(d.getUTCSeconds());
    case 'PM':
      return h >= 12 ? 'PM' : 'AM';
    case 'pm':
      return h >= 12 ? 'pm' : 'am';
    case '-0700':
      return '+0000';
    case '-07:00':
      return '+00:00';
    case '-07':
      return '+00';
    case '-07:00:00':
      return '+00:00:00';
    default:
      return 'Z'; // Z0700, Z07:00, Z07, Z07:00:00 in UTC
  }
}

/** What Go's `time.Time.String()` prints for `d` in UTC: `2015-06-23 13:19:44.128 +0000 UTC`. */
export function goTimeString(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  return formatGoTime(d, '2006-01-02 15:04:05.999999999 -0700 MST');
}

/** A Go `time.Duration`: nanoseconds, printed like Go (`1h2m3.5s`, `500ms`, `0s`). */
export class GoDuration {
  constructor(readonly nanoseconds: number) {}

  /** Go's `Duration.String()`. */
  String(): string {
    const ns = this.nanoseconds;
    if (ns === 0) return '0s';
    const sign = ns < 0 ? '-' : '';
    const a = Math.abs(ns);
    if (a < 1e3) return `${sign}${a}ns`;
    if (a < 1e6) return `${sign}${trimZeros((a / 1e3).toFixed(3))}µs`;
    if (a < 1e9) return `${sign}${trimZeros((a / 1e6).toFixed(6))}ms`;
    const totalSeconds = Math.floor(a / 1e9);
    const fracNs = a - totalSeconds * 1e9;
    const h = Math.floor(totalSeconds / 3600);
    const m = Math.floor((totalSeconds % 3600) / 60);
    const s = totalSeconds % 60;
    const sec = fracNs > 0 ? trimZeros(`${s}.${pad(Math.round(fracNs), 9)}`) : String(s);
    if (h > 0) return `${sign}${h}h${m}m${sec}s`;
    if (m > 0) return `${sign}${m}m${sec}s`;
    return `${sign}${sec}s`;
  }

  /** Seconds as a float, like Go's `Duration.Seconds()`. */
  Seconds(): number {
    return this.nanoseconds / 1e9;
  }

  toString(): string {
    return this.String();
  }
}

/** Go's zero `time.Time`, 0001-01-01T00:00:00Z, in Unix milliseconds. */
export const goZeroTimeMs = Date.parse('0001-01-01T00:00:00Z');

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

/** Methods a template can call on a time value (`{{ .StartsAt.Format "15:04" }}`), receiver first. */
export const timeMethods: Readonly<Record<string, (d: Date, ...args: unknown[]) => unknown>> = {
  Format: (d, layout) => formatGoTime(d, String(layout ?? '')),
  String: (d) => goTimeString(d),
  Unix: (d) => BigInt(Math.floor(d.getTime() / 1000)),
  UnixMilli: (d) => BigInt(d.getTime()),
  UnixNano: (d) => BigInt(d.getTime()) * 1_000_000n,
  UTC: (d) => d,
  Local: (d) => d,
  IsZero: (d) => d.getTime() === goZeroTimeMs,
  Year: (d) => BigInt(d.getUTCFullYear()),
  Day: (d) => BigInt(d.getUTCDate()),
  Hour: (d) => BigInt(d.getUTCHours()),
  Minute: (d) => BigInt(d.getUTCMinutes()),
  Second: (d) => BigInt(d.getUTCSeconds()),
};
