/**
 * JSON as Prometheus writes it (jsoniter in `ConfigCompatibleWithStandardLibrary` mode, plus the encoders of
 * `util/jsonutil` and `web/api/v1/json_codec.go`), byte for byte where a client could tell:
 *
 * - strings escape `<`, `>`, `&`, U+2028 and U+2029 (`\u003c`…), except label names and values, which the label
 *   encoder writes without HTML escaping;
 * - a sample's timestamp is `<seconds>[.<ms, three digits>]` (`1435781451.780`), its value a string of Go's
 *   shortest `'f'` format, `'e'` below 1e-6 and from 1e21 (`"1e+21"`), `NaN`, `+Inf`, `-Inf`;
 * - a scalar or string result's timestamp is a float64 (`1.5`), a scalar's value always `'f'` format.
 */
import { compareStrings, type Labels } from '../../model/index.ts';
import { formatGoFloat, type QueryValue } from '../../promql/index.ts';

/** A JSON text already encoded (as a string, or as UTF-8 bytes for large results), embedded as is. */
export class RawJson {
  constructor(readonly text: string | Buffer) {}
}

/**
 * Builds a large JSON text directly as bytes: points are written digit by digit into one growing buffer rather
 * than through intermediate strings, which for a range result of a million points is most of the encoding cost.
 */
class JsonBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Appends an ASCII string. */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Appends any string as UTF-8. */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Encoded timestamps: the points of a range result share their step times, series after series. */
  private readonly times = new Map<number, string>();

  /** Appends `[<marshalTimestamp(t)>,"<marshalFloat(f)>"]`. */
  point(t: number, f: number): void {
    let ts = this.times.get(t);
    if (ts === undefined) {
      ts = `[${marshalTimestamp(t)},"`;
      if (this.times.size < 100_000) this.times.set(t, ts);
    }
    this.ascii(ts);
    this.ascii(marshalFloat(f));
    this.ascii('"]');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Whether `s` holds a character Go escapes: quote, backslash, controls, U+2028/9, surrogates (and HTML's). */
function needsEscape(s: string, html: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) {
      return true;
    }
    if (html && (c === 0x3c || c === 0x3e || c === 0x26)) return true;
  }
  return false;
}

/** A JSON string literal as Go writes it; `html` also escapes `<`, `>` and `&`. Lone surrogates become U+FFFD. */
export function goJsonString(s: string, html = true): string {
  if (!needsEscape(s, html)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x2028 || c === 0x2029 || (html && (c === 0x3c || c === 0x3e || c === 0x26))) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i] + (s[i + 1] as string);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += '\\ufffd';
    } else {
      out += s[i];
    }
  }
  return `${out}"`;
}

/**
 * Encodes plain data (objects in insertion order, arrays, strings, finite numbers, booleans, null) and RawJson
 * fragments. Numbers print as Go prints a float64 (which JavaScript's shortest form matches); object keys are
 * escaped like strings.
 */
export function encodeJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof RawJson) return typeof v.text === 'string' ? v.text : v.text.toString('utf8');
  switch (typeof v) {
    case 'string':
      return goJsonString(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (Array.isArray(v)) return `[${v.map(encodeJson).join(',')}]`;
      return `{${Object.entries(v as Record<string, unknown>)
        .map(([k, x]) => `${goJsonString(k)}:${encodeJson(x)}`)
        .join(',')}}`;
    default:
      throw new TypeError(`cannot encode a ${typeof v} as JSON`);
  }
}

/** A label set as an object in label order, without HTML escaping (upstream's `unsafeMarshalLabelsJSON`). */
export function encodeLabels(labels: Labels): string {
  let out = '{';
  for (let i = 0; i < labels.size; i++) {
    if (i > 0) out += ',';
    out += `${goJsonString(labels.name(i), false)}:${goJsonString(labels.value(i), false)}`;
  }
  return `${out}}`;
}

/** `jsonutil.MarshalTimestamp`: Unix ms as seconds with the milliseconds, if any, in three digits. */
export function marshalTimestamp(t: number): string {
  if (t >= 0 && Number.isSafeInteger(t)) {
    const frac = t % 1000;
    if (frac === 0) return String(t / 1000);
    return `${(t - frac) / 1000}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
  }
  const neg = t < 0;
  const a = Math.abs(t);
  const sec = Math.trunc(a / 1000);
  const frac = a - sec * 1000;
  const text = frac === 0 ? String(sec) : `${sec}.${String(frac).padStart(3, '0')}`;
  return neg ? `-${text}` : text;
}

/** `jsonutil.MarshalFloat`, without the quotes. */
export function marshalFloat(f: number): string {
  const abs = Math.abs(f);
  if (abs !== 0 && Number.isFinite(f) && (abs < 1e-6 || abs >= 1e21)) return formatFloatE(f);
  return formatGoFloat(f);
}

/** `strconv.FormatFloat(f, 'e', -1, 64)`: shortest digits, exponent with a sign and at least two digits. */
function formatFloatE(f: number): string {
  const [mant, exp] = f.toExponential().split('e') as [string, string];
  const e = Number(exp);
  return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** One `[t, "v"]` point of a vector or matrix. */
function point(t: number, f: number): string {
  return `[${marshalTimestamp(t)},"${marshalFloat(f)}"]`;
}

/**
 * A query result as `{"resultType":…,"result":…}`, with `stats` appended when given (already encoded).
 * `limit` > 0 keeps the first `limit` series of a vector or matrix; `truncated` says whether any were dropped.
 */
export function encodeQueryData(value: QueryValue, limit = 0, stats?: string): { json: RawJson; truncated: boolean } {
  let result: string;
  let truncated = false;
  switch (value.type) {
    case 'vector': {
      let samples = value.samples;
      if (limit > 0 && samples.length > limit) {
        samples = samples.slice(0, limit);
        truncated = true;
      }
      result = `[${samples.map((s) => `{"metric":${encodeLabels(s.metric)},"value":${point(s.t, s.f)}}`).join(',')}]`;
      break;
    }
    case 'matrix': {
      let series = value.series;
      if (limit > 0 && series.length > limit) {
        series = series.slice(0, limit);
        truncated = true;
      }
      const out = new JsonBytes();
      out.ascii(`{"resultType":"matrix","result":[`);
      series.forEach((s, k) => {
        if (k > 0) out.ascii(',');
        out.ascii('{"metric":');
        out.utf8(encodeLabels(s.metric));
        const n = s.ts.length;
        if (n > 0) {
          out.ascii(',"values":[');
          for (let i = 0; i < n; i++) {
            if (i > 0) out.ascii(',');
            out.point(s.ts[i] as number, s.fs[i] as number);
          }
          out.ascii(']');
        }
        out.ascii('}');
      });
      out.ascii(']');
      if (stats !== undefined) out.utf8(`,"stats":${stats}`);
      out.ascii('}');
      return { json: new RawJson(out.bytes()), truncated };
    }
    case 'scalar':
      result = `[${encodeJson(value.t / 1000)},"${formatGoFloat(value.v)}"]`;
      break;
    case 'string':
      result = `[${encodeJson(value.t / 1000)},${goJsonString(value.v)}]`;
      break;
  }
  const statsPart = stats === undefined ? '' : `,"stats":${stats}`;
  return { json: new RawJson(`{"resultType":"${value.type}","result":${result}${statsPart}}`), truncated };
}

/** Label sets of the series API, in the order given. */
export function encodeLabelSets(sets: readonly Labels[]): RawJson {
  return new RawJson(`[${sets.map(encodeLabels).join(',')}]`);
}

/** Sorts strings as Go's `slices.Sort` does (by UTF-8 bytes). */
export function sortStrings(values: string[]): string[] {
  return values.sort(compareStrings);
}
