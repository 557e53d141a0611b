/**
 * `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/<name>/values`, as upstream's `api.go` answers them:
 * the union over several `match[]` selectors, `start`/`end` defaulting to all time, `limit` with the
 * `results truncated due to limit` warning.
 */
import type { Labels, Matcher } from '../../model/index.ts';
import { goQuote } from '../../promql/index.ts';
import { emptySeriesSet, MergeSeriesSet, type Querier, type Queryable, type SeriesSet } from '../../storage/index.ts';
import type { Route } from '../router.ts';
import { apiRoute, getAndPost } from './query-api.ts';
import type { QueryBackend } from './query-backend.ts';
import { ApiError } from './query-errors.ts';
import { encodeLabelSets, sortStrings } from './query-json.ts';
import {
  type ApiParams,
  invalidParam,
  limitParam,
  maxTimeMs,
  minTimeMs,
  parseMatcherSets,
  timeParam,
} from './query-params.ts';

const truncatedWarning = 'results truncated due to limit';

export function metadataRoutes(backend: QueryBackend | undefined): Route[] {
  return [
    ...getAndPost('/api/v1/series', 'user', (params) => {
      const selectors = params.all('match[]');
      if (selectors.length === 0) throw ApiError.badData('no match[] parameter provided');
      const limit = limitParam(params);
      const start = timeParam(params, 'start', minTimeMs);
      const end = timeParam(params, 'end', maxTimeMs);
      let sets: Matcher[][];
      try {
        sets = parseMatcherSets(selectors);
      } catch (err) {
        throw invalidParam('match[]', (err as Error).message);
      }
      return withQuerier(backend, start, end, (q) => {
        const parts = sets.map((ms) => q.select(true, { start, end, func: 'series' }, ms));
        const set: SeriesSet = parts.length === 1 ? (parts[0] ?? emptySeriesSet) : new MergeSeriesSet(parts);
        const found: Labels[] = [];
        let truncated = false;
        while (set.next()) {
          if (limit > 0 && found.length === limit) {
            truncated = true;
            break;
          }
          found.push(set.at().labels);
        }
        const err = set.err();
        if (err !== null) throw new ApiError('internal', err.message, { cause: err });
        const warnings = [...set.warnings()];
        if (truncated) warnings.push(truncatedWarning);
        return { data: encodeLabelSets(found), warnings };
      });
    }),
    ...getAndPost('/api/v1/labels', 'user', (params) => {
      const { limit, start, end, sets } = listParams(params);
      return withQuerier(backend, start, end, (q) =>
        truncate(
          union(sets, (ms) => q.labelNames(ms)),
          limit,
        ),
      );
    }),
    // The name is taken raw from the path: it may be percent-encoded bytes that are not UTF-8 (a 400, not a 404).
    apiRoute('GET', '/api/v1/label/*', 'user', (params, ctx) => {
      const parts = (ctx.params['*'] ?? '').split('/');
      if (parts.length !== 2 || parts[1] !== 'values' || parts[0] === '') {
        throw new ApiError('not_found', `no route for ${ctx.url.pathname}`);
      }
      const name = labelNameParam(parts[0] as string);
      const { limit, start, end, sets } = listParams(params);
      return withQuerier(backend, start, end, (q) =>
        truncate(
          union(sets, (ms) => q.labelValues(name, ms)),
          limit,
        ),
      );
    }),
  ];
}

/** `limit`, `start`, `end` and `match[]` of the label APIs, in upstream's order; selector errors unprefixed. */
function listParams(params: ApiParams): { limit: number; start: number; end: number; sets: Matcher[][] } {
  const limit = limitParam(params);
  const start = timeParam(params, 'start', minTimeMs);
  const end = timeParam(params, 'end', maxTimeMs);
  let sets: Matcher[][];
  try {
    sets = parseMatcherSets(params.all('match[]'));
  } catch (err) {
    throw ApiError.badData((err as Error).message);
  }
  return { limit, start, end, sets };
}

function withQuerier<T>(backend: QueryBackend | undefined, start: number, end: number, fn: (q: Querier) => T): T {
  const queryable: Queryable | undefined = backend?.queryable();
  if (queryable === undefined) throw new ApiError('unavailable', 'the time-series database is not open yet');
  const q = queryable.querier(start, end);
  try {
    return fn(q);
  } finally {
    q.close();
  }
}

/** Names or values over every selector set (all series when there is none), sorted and without duplicates. */
function union(sets: readonly Matcher[][], read: (ms: readonly Matcher[] | undefined) => string[]): string[] {
  if (sets.length <= 1) return read(sets[0]);
  const all = new Set<string>();
  for (const ms of sets) for (const v of read(ms)) all.add(v);
  return sortStrings([...all]);
}

function truncate(values: string[], limit: number): { data: string[]; warnings: string[] } {
  if (limit > 0 && values.length > limit) return { data: values.slice(0, limit), warnings: [truncatedWarning] };
  return { data: values, warnings: [] };
}

/**
 * The label name of a `/label/<name>/values` path segment: percent-decoded to bytes, then, when it starts with
 * `U__`, unescaped from Prometheus' value encoding (`U__http_2e_method` is `http.method`). Must be non-empty
 * UTF-8: `invalid label name: "\xff"` otherwise.
 */
export function labelNameParam(segment: string): string {
  let bytes = percentDecode(segment);
  if (bytes.subarray(0, 3).toString('latin1') === 'U__') bytes = unescapeValueEncoding(bytes);
  const name = decodeUtf8(bytes);
  if (name === undefined || name === '') {
    throw ApiError.badData(`invalid label name: ${goQuote(surrogateEscaped(bytes))}`);
  }
  return name;
}

function percentDecode(s: string): Buffer {
  const out: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    const hex = b === 0x25 ? raw.subarray(i + 1, i + 3).toString('latin1') : '';
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      out.push(b);
    }
  }
  return Buffer.from(out);
}

/** Prometheus' `UnescapeName(name, ValueEncodingEscaping)`, on bytes; the input unchanged when malformed. */
function unescapeValueEncoding(name: Buffer): Buffer {
  const escaped = name.subarray(3);
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] !== 0x5f) {
      out.push(escaped[i] as number);
      continue;
    }
    i++;
    if (i >= escaped.length) return name;
    if (escaped[i] === 0x5f) {
      out.push(0x5f);
      continue;
    }
    let cp = 0;
    let closed = false;
    for (let j = 0; i < escaped.length; j++, i++) {
      if (j >= 6) return name;
      const c = escaped[i] as number;
      if (c === 0x5f) {
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return name;
        out.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
        closed = true;
        break;
      }
      const d = Number.parseInt(String.fromCharCode(c), 16);
      if (Number.isNaN(d)) return name;
      cp = cp * 16 + d;
    }
    if (!closed) return name;
  }
  return Buffer.from(out);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Bytes as a string where each byte outside valid UTF-8 is the lone surrogate U+DC00+byte (goQuote prints `\xNN`). */
function surrogateEscaped(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    let ok = false;
    for (let n = 4; n >= 1 && !ok; n--) {
      const s = decodeUtf8(bytes.subarray(i, i + n));
      if (s !== undefined && s.length > 0 && [...s].length === 1 && Buffer.byteLength(s) === n) {
        out += s;
        i += n;
        ok = true;
      }
    }
    if (!ok) {
      out += String.fromCharCode(0xdc00 + (bytes[i] as number));
      i++;
    }
  }
  return out;
}
