/**
 * Alertmanager's API v2 semantics over plain JSON: request validation with Alertmanager's answers (OpenAPI
 * shape errors as 422 `{code, message}`, semantic errors as 400 strings), filters, and the response shapes.
 * The HTTP layer (server) only reads bodies and writes answers.
 */

import type { AlertMatcher } from '../config/index.ts';
import { parseMatchers } from '../config/index.ts';
import { compileAnchored } from '../model/index.ts';
import { goTime, parseTime } from './go-time.ts';
import { compileMatcher, type LabelMatcher } from './matchers.ts';
import type { Silence, SilenceInput, SilenceState } from './silences.ts';

/**
 * An API answer: a status and a JSON body (a string body is sent as a JSON string, as Alertmanager does). A
 * class, so that an answer is never confused with a parsed request body of the same shape.
 */
export class ApiAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export const ok = (body: unknown = undefined): ApiAnswer => new ApiAnswer(200, body);
export const badRequest = (message: string): ApiAnswer => new ApiAnswer(400, message);
const shape = (code: number, message: string): ApiAnswer => new ApiAnswer(422, { code, message });

/** An alert as posted, after shape validation. Times in Unix ms, 0 when absent. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  endsAt: number;
  generatorURL: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(v: unknown, where: string): Record<string, string> | ApiAnswer {
  if (!isObject(v)) return shape(602, `${where} in body must be of type object: "${typeof v}"`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return shape(602, `${where}.${k} in body must be of type string: "${jsonType(x)}"`);
    out[k] = x;
  }
  return out;
}

/** 0001-01-01T00:00:00Z, Go's zero `time.Time`, in Unix milliseconds. */
const goZeroTimeMs = -62_135_596_800_000;

const jsonType = (x: unknown) => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);

function dateTime(v: unknown, where: string): number | ApiAnswer {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'string') return shape(602, `${where} in body must be of type string: "${jsonType(v)}"`);
  const t = parseTime(v);
  if (Number.isNaN(t)) return shape(601, `${where} in body must be of type date-time: "${v}"`);
  // Go's zero time (what amtool sends for an unset time) means absent, as Alertmanager reads it.
  return t === goZeroTimeMs ? 0 : t;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Parses a JSON body as Alertmanager's decoder does; an answer on failure. */
export function parseJson(text: string, what: string): unknown | ApiAnswer {
  try {
    // Go's decoder turns a lone surrogate escape into U+FFFD; so does this.
    return JSON.parse(text, (_k, v: unknown) =>
      typeof v === 'string' ? v.replace(loneSurrogate, '\uFFFD') : v,
    ) as unknown;
  } catch (err) {
    return new ApiAnswer(400, {
      code: 400,
      message: `parsing ${what} body from "" failed, because ${(err as Error).message}`,
    });
  }
}

export const isAnswer = (v: unknown): v is ApiAnswer => v instanceof ApiAnswer;

/** Shape-validates `POST /api/v2/alerts`. */
export function postableAlerts(body: unknown): PostableAlert[] | ApiAnswer {
  if (!Array.isArray(body)) return shape(602, `postableAlerts in body must be of type array: "${jsonType(body)}"`);
  const out: PostableAlert[] = [];
  for (const [i, item] of body.entries()) {
    if (!isObject(item)) return shape(602, `${i} in body must be of type object: "${jsonType(item)}"`);
    if (item.labels === undefined) return shape(602, `${i}.labels in body is required`);
    const labels = stringMap(item.labels, `${i}.labels`);
    if (isAnswer(labels)) return labels;
    const annotations = item.annotations === undefined ? {} : stringMap(item.annotations, `${i}.annotations`);
    if (isAnswer(annotations)) return annotations;
    const startsAt = dateTime(item.startsAt, `${i}.startsAt`);
    if (isAnswer(startsAt)) return startsAt;
    const endsAt = dateTime(item.endsAt, `${i}.endsAt`);
    if (isAnswer(endsAt)) return endsAt;
    const gen = item.generatorURL;
    if (gen !== undefined && typeof gen !== 'string')
      return shape(602, `${i}.generatorURL in body must be of type string`);
    out.push({ labels, annotations, startsAt, endsAt, generatorURL: gen ?? '' });
  }
  return out;
}

const legacyName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alertmanager's `Alert.Validate` on one alert (after defaults are applied); the error text or undefined. */
export function validateAlert(a: PostableAlert): string | undefined {
  if (a.startsAt === 0) return 'start time missing';
  if (a.endsAt !== 0 && a.endsAt < a.startsAt) return 'start time must be before end time';
  // Values are valid UTF-8 by construction: JSON decoding replaces lone surrogates, as Go's decoder does.
  for (const k of Object.keys(a.labels)) {
    if (!legacyName.test(k)) return `invalid label set: invalid name "${k}"`;
  }
  if (Object.keys(a.labels).length === 0) return 'at least one label pair required';
  for (const k of Object.keys(a.annotations)) {
    if (!legacyName.test(k)) return `invalid annotations: invalid name "${k}"`;
  }
  return undefined;
}

/** Shape-validates `POST /api/v2/silences`. */
export function postableSilence(body: unknown): SilenceInput | ApiAnswer {
  if (!isObject(body)) return shape(602, `silence in body must be of type object: "${jsonType(body)}"`);
  for (const k of ['comment', 'createdBy', 'endsAt', 'matchers', 'startsAt']) {
    if (body[k] === undefined) return shape(602, `${k} in body is required`);
  }
  if (!Array.isArray(body.matchers))
    return shape(602, `matchers in body must be of type array: "${jsonType(body.matchers)}"`);
  if (body.matchers.length === 0) return shape(612, 'matchers in body should have at least 1 items');
  const matchers: AlertMatcher[] = [];
  for (const [i, m] of body.matchers.entries()) {
    if (!isObject(m)) return shape(602, `matchers.${i} in body must be of type object: "${jsonType(m)}"`);
    for (const k of ['isRegex', 'name', 'value']) {
      if (m[k] === undefined) return shape(602, `matchers.${i}.${k} in body is required`);
    }
    if (typeof m.name !== 'string' || typeof m.value !== 'string' || typeof m.isRegex !== 'boolean') {
      return shape(602, `matchers.${i} in body has a field of the wrong type`);
    }
    const isEqual = m.isEqual === undefined ? true : m.isEqual === true;
    matchers.push({ name: m.name, value: m.value, type: m.isRegex ? (isEqual ? '=~' : '!~') : isEqual ? '=' : '!=' });
  }
  for (const k of ['comment', 'createdBy']) {
    if (typeof body[k] !== 'string') return shape(602, `${k} in body must be of type string: "${jsonType(body[k])}"`);
  }
  const startsAt = dateTime(body.startsAt, 'startsAt');
  if (isAnswer(startsAt)) return startsAt;
  const endsAt = dateTime(body.endsAt, 'endsAt');
  if (isAnswer(endsAt)) return endsAt;
  if (body.id !== undefined && typeof body.id !== 'string') return shape(602, 'id in body must be of type string');
  return {
    ...(typeof body.id === 'string' && body.id !== '' ? { id: body.id } : {}),
    matchers,
    startsAt,
    endsAt,
    createdBy: body.createdBy as string,
    comment: body.comment as string,
  };
}

/** The `filter` query parameters (matcher strings); an answer when one does not parse. */
export function filterMatchers(params: URLSearchParams): LabelMatcher[] | ApiAnswer {
  const out: LabelMatcher[] = [];
  for (const f of params.getAll('filter')) {
    const parsed = parseMatchers(f);
    if ('error' in parsed) return badRequest(`bad matcher format: ${f}`);
    try {
      out.push(...parsed.map(compileMatcher));
    } catch (err) {
      return badRequest((err as Error).message);
    }
  }
  return out;
}

/** A boolean query parameter with a default; an answer when it is not a boolean. */
export function boolParam(params: URLSearchParams, name: string, def: boolean): boolean | ApiAnswer {
  const v = params.get(name);
  if (v === null || v === '') return def;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return shape(601, `${name} in query must be of type bool: "${v}"`);
}

/** The `receiver` parameter as an anchored regex test; an answer when it does not compile. */
export function receiverFilter(params: URLSearchParams): ((name: string) => boolean) | ApiAnswer {
  const v = params.get('receiver');
  if (v === null || v === '') return () => true;
  try {
    const re = compileAnchored(v, { dotAll: false });
    return (name) => re.test(name);
  } catch (err) {
    return badRequest(`failed to parse receiver param: ${(err as Error).message}`);
  }
}

/** A silence as `GET /api/v2/silences` returns it. */
export function gettableSilence(s: Silence, state: SilenceState) {
  return {
    id: s.id,
    status: { state },
    updatedAt: goTime(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: goTime(s.endsAt),
    matchers: s.matchers.map((m) => ({
      isEqual: m.type === '=' || m.type === '=~',
      isRegex: m.type === '=~' || m.type === '!~',
      name: m.name,
      value: m.value,
    })),
    startsAt: goTime(s.startsAt),
  };
}

/**
 * Whether a silence passes the `filter` matchers (Alertmanager's rule: every filter matcher must be met by
 * some silence matcher of the same name whose value the filter accepts, with the same kind of match).
 */
export function silenceMatchesFilter(s: Silence, filter: readonly LabelMatcher[]): boolean {
  return filter.every((f) =>
    s.matchers.some(
      (m) =>
        m.name === f.name &&
        f.matchesValue(m.value) &&
        (m.type === '=' || m.type === '!=') === (f.type === '=' || f.type === '!='),
    ),
  );
}

/** Alertmanager's silence order: active by end, then pending by start, then expired by end descending. */
export function compareSilences(
  a: { s: Silence; state: SilenceState },
  b: { s: Silence; state: SilenceState },
): number {
  const rank = { active: 0, pending: 1, expired: 2 };
  if (a.state !== b.state) return rank[a.state] - rank[b.state];
  if (a.state === 'active') return a.s.endsAt - b.s.endsAt;
  if (a.state === 'pending') return a.s.startsAt - b.s.startsAt;
  return b.s.endsAt - a.s.endsAt;
}
