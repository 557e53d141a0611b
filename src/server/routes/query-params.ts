/**
 * Request parameters of the Prometheus HTTP API as upstream's `web/api/v1/api.go` reads them: form values from the
 * URL and (for POST and PUT) an `application/x-www-form-urlencoded` body, times as RFC 3339 or Unix seconds,
 * durations as Go durations or float seconds, limits as integers. Errors carry upstream's texts, since clients
 * (Grafana, promtool, scripts) show them and tests match on them.
 */
import type { Matcher } from '../../model/index.ts';
import { goQuote, parseDuration, parseMetricSelector } from '../../promql/index.ts';
import type { RequestContext } from '../context.ts';
import { ApiError } from './query-errors.ts';

/**
 * Form values as Go's `Request.ParseForm` merges them: body values first, then URL query values. `get` is Go's
 * `FormValue` (the first value, '' when absent); `all` is `Form[name]`.
 */
export class ApiParams {
  private constructor(
    private readonly body: URLSearchParams,
    private readonly query: URLSearchParams,
  ) {}

  /** Reads the body of a POST or PUT form (the server's body limit applies); other bodies are ignored, as in Go. */
  static async read(ctx: RequestContext): Promise<ApiParams> {
    const method = ctx.req.method ?? 'GET';
    const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    let body = new URLSearchParams();
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && type === 'application/x-www-form-urlencoded') {
      body = new URLSearchParams((await ctx.body()).toString('utf8'));
    }
    return new ApiParams(body, ctx.url.searchParams);
  }

  /** Parameters from a URL query string alone (tests, GET requests). */
  static fromQuery(query: URLSearchParams | string): ApiParams {
    return new ApiParams(new URLSearchParams(), new URLSearchParams(query));
  }

  get(name: string): string {
    return this.body.get(name) ?? this.query.get(name) ?? '';
  }

  all(name: string): string[] {
    return [...this.body.getAll(name), ...this.query.getAll(name)];
  }
}

/** The error of a parameter that does not parse: `invalid parameter "time": <why>`, bad_data, 400. */
export function invalidParam(name: string, why: string): ApiError {
  return ApiError.badData(`invalid parameter ${goQuote(name)}: ${why}`);
}

/**
 * Upstream's `MinTime` and `MaxTime`, the bounds of an open time range, in Unix ms (Go's `timestamp.FromTime`; the
 * nearest doubles). Clients send their RFC 3339 forms (below) to mean "unbounded".
 */
export const minTimeMs = Number(-9223309901257974000n);
export const maxTimeMs = Number(9223309901257974999n);
const minTimeFormatted = '-292273086-05-16T16:47:06Z';
const maxTimeFormatted = '292277025-08-18T07:12:54.999999999Z';

/**
 * `strconv.ParseFloat(s, 64)` for the decimal forms a client sends (`1435781451.781`, `-5`, `1e3`, `Inf`, `NaN`).
 * Undefined when Go would refuse it, including values out of float64 range.
 */
export function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** `math.Round`: half away from zero. */
function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/**
 * Upstream's `parseTime` then `timestamp.FromTime`: Unix seconds (rounded to the millisecond) or RFC 3339 with an
 * optional fraction, to Unix ms. Throws the bare reason, `cannot parse "x" to a valid timestamp`.
 */
export function parseTimeMs(s: string): number {
  const f = goParseFloat(s);
  if (f !== undefined && Number.isFinite(f)) {
    // math.Modf, fraction rounded to ms, then time.Unix(sec, nsec) normalized, then FromTime.
    let sec = Math.trunc(f);
    let nsec = Math.trunc((goRound((f - sec) * 1000) / 1000) * 1e9);
    if (nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    }
    return sec * 1000 + Math.floor(nsec / 1e6);
  }
  const t = parseRfc3339Ms(s);
  if (t !== undefined) return t;
  if (s === minTimeFormatted) return minTimeMs;
  if (s === maxTimeFormatted) return maxTimeMs;
  throw new Error(`cannot parse ${goQuote(s)} to a valid timestamp`);
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** Days from 1970-01-01 to a proleptic Gregorian date (Hinnant's `days_from_civil`). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `time.Parse(time.RFC3339Nano, s)` to Unix ms (fractions beyond ms truncated), or undefined. */
function parseRfc3339Ms(s: string): number | undefined {
  const m = rfc3339.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7] ?? '';
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const zone = m[8] as string;
  let offsetMin = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMin) * 60_000 + second * 1000 + ms;
}

/** Upstream's `parseTimeParam`: the default when absent, else the time or `invalid time value for 'x': …`. */
export function timeParam(params: ApiParams, name: string, defaultMs: number): number {
  const v = params.get(name);
  if (v === '') return defaultMs;
  try {
    return parseTimeMs(v);
  } catch (err) {
    throw invalidParam(name, `invalid time value for '${name}': ${(err as Error).message}`);
  }
}

/** float64(math.MaxInt64), which is 2^63. */
const maxInt64 = 2 ** 63;

/**
 * Upstream's `parseDuration`: float seconds (refused when the nanoseconds overflow int64) or a Go duration like
 * `1m30s`. Returns nanoseconds as a number (exact up to 2^53 ns, about 104 days). Throws the bare reason.
 */
export function parseApiDurationNs(s: string): number {
  const f = goParseFloat(s);
  if (f !== undefined) {
    const ns = f * 1e9;
    if (ns > maxInt64 || ns < -maxInt64) {
      throw new Error(`cannot parse ${goQuote(s)} to a valid duration. It overflows int64`);
    }
    // time.Duration(NaN) is math.MinInt64 on the platforms Prometheus ships for: a negative duration.
    return Number.isNaN(ns) ? -maxInt64 : Math.trunc(ns);
  }
  const d = parseDuration(s);
  if (d.error === undefined) return Number(d.ns);
  throw new Error(`cannot parse ${goQuote(s)} to a valid duration`);
}

/**
 * Upstream's `parseLimitParam`: 0 (no limit) when absent; `strconv.Atoi` errors and `limit must be non-negative`
 * as `invalid parameter "limit": …`.
 */
export function limitParam(params: ApiParams): number {
  const s = params.get('limit');
  if (s === '') return 0;
  if (!/^[+-]?\d+$/.test(s)) throw invalidParam('limit', `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) {
    throw invalidParam('limit', `strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  if (n < 0n) throw invalidParam('limit', 'limit must be non-negative');
  return Number(n);
}

/**
 * Upstream's `parseMatchersParam`: every selector parsed first, then each set must hold a matcher that does not
 * match the empty string. Throws the bare message (callers decide whether to prefix it).
 */
export function parseMatcherSets(selectors: readonly string[]): Matcher[][] {
  const sets = selectors.map((s) => parseMetricSelector(s));
  for (const set of sets) {
    if (!set.some((m) => !m.matchesEmpty())) throw new Error('match[] must contain at least one non-empty matcher');
  }
  return sets;
}
