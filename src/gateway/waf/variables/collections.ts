/**
 * The collection registry: how each SecLang variable reads the transaction. A collection yields members
 * (`key`/`value`); `*_NAMES` collections yield each member's key as its value; scalars yield one member with
 * an empty key.
 */
import type { Pair, TxState } from '../state.ts';

export type CollectionReader = (s: TxState) => Pair[];

const names =
  (of: CollectionReader): CollectionReader =>
  (s) =>
    of(s).map((p) => ({ key: p.key, value: p.key }));
const fromMap = (m: Map<string, string> | undefined): Pair[] =>
  m === undefined ? [] : [...m].map(([key, value]) => ({ key, value }));

const args: CollectionReader = (s) => [...s.member('ARGS_GET'), ...s.member('ARGS_POST')];
const argsGet: CollectionReader = (s) => s.member('ARGS_GET');
const argsPost: CollectionReader = (s) => s.member('ARGS_POST');
const requestHeaders: CollectionReader = (s) => s.member('REQUEST_HEADERS');
const requestCookies: CollectionReader = (s) => s.member('REQUEST_COOKIES');
const responseHeaders: CollectionReader = (s) => s.member('RESPONSE_HEADERS');
const files: CollectionReader = (s) => s.member('FILES');

export const collections = {
  ARGS: args,
  ARGS_GET: argsGet,
  ARGS_POST: argsPost,
  ARGS_NAMES: names(args),
  ARGS_GET_NAMES: names(argsGet),
  ARGS_POST_NAMES: names(argsPost),
  REQUEST_HEADERS: requestHeaders,
  REQUEST_HEADERS_NAMES: names(requestHeaders),
  REQUEST_COOKIES: requestCookies,
  REQUEST_COOKIES_NAMES: names(requestCookies),
  RESPONSE_HEADERS: responseHeaders,
  RESPONSE_HEADERS_NAMES: names(responseHeaders),
  FILES: files,
  FILES_NAMES: names(files),
  FILES_SIZES: (s) => s.member('FILES_SIZES'),
  FILES_TMPNAMES: (s) => s.member('FILES_TMPNAMES'),
  MULTIPART_PART_HEADERS: (s) => s.member('MULTIPART_PART_HEADERS'),
  ENV: (s) => s.member('ENV'),
  GEO: (s) => s.member('GEO'),
  TX: (s) => fromMap(s.tx),
  IP: (s) => fromMap(s.named.get('IP')),
  GLOBAL: (s) => fromMap(s.named.get('GLOBAL')),
  SESSION: (s) => fromMap(s.named.get('SESSION')),
  USER: (s) => fromMap(s.named.get('USER')),
  RESOURCE: (s) => fromMap(s.named.get('RESOURCE')),
  MATCHED_VAR: (s) => (s.matchedVarName === '' ? [] : [{ key: '', value: s.matchedVar }]),
  MATCHED_VAR_NAME: (s) => (s.matchedVarName === '' ? [] : [{ key: '', value: s.matchedVarName }]),
  MATCHED_VARS: (s) => s.matchedVars.map((m) => ({ key: m.name.slice(m.name.indexOf(':') + 1), value: m.value })),
  MATCHED_VARS_NAMES: (s) => s.matchedVars.map((m) => ({ key: m.name.slice(m.name.indexOf(':') + 1), value: m.name })),
  RULE: (s) => {
    const r = s.rule;
    if (r === undefined) return [];
    // The message is expanded on demand only: most rules never read it.
    const msg = r.msg === undefined ? '' : r.msg.some((p) => typeof p !== 'string') ? '' : r.msg.join('');
    return [
      { key: 'id', value: String(r.id) },
      { key: 'msg', value: msg },
      { key: 'severity', value: r.severity === undefined ? '' : String(r.severity) },
    ];
  },
} satisfies Record<string, CollectionReader>;

/** Variables read from `TxState.scalars` under their own name. */
export const scalarNames = [
  'REQUEST_METHOD',
  'REQUEST_URI',
  'REQUEST_URI_RAW',
  'REQUEST_FILENAME',
  'REQUEST_BASENAME',
  'REQUEST_LINE',
  'REQUEST_PROTOCOL',
  'REQUEST_BODY',
  'REQUEST_BODY_LENGTH',
  'QUERY_STRING',
  'PATH_INFO',
  'REMOTE_ADDR',
  'REMOTE_HOST',
  'REMOTE_PORT',
  'SERVER_ADDR',
  'SERVER_NAME',
  'SERVER_PORT',
  'UNIQUE_ID',
  'ARGS_COMBINED_SIZE',
  'FILES_COMBINED_SIZE',
  'REQBODY_PROCESSOR',
  'REQBODY_ERROR',
  'REQBODY_ERROR_MSG',
  'REQBODY_PROCESSOR_ERROR',
  'REQBODY_PROCESSOR_ERROR_MSG',
  'MULTIPART_STRICT_ERROR',
  'MULTIPART_UNMATCHED_BOUNDARY',
  'MULTIPART_BOUNDARY_QUOTED',
  'MULTIPART_BOUNDARY_WHITESPACE',
  'MULTIPART_DATA_BEFORE',
  'MULTIPART_DATA_AFTER',
  'MULTIPART_HEADER_FOLDING',
  'MULTIPART_LF_LINE',
  'MULTIPART_CRLF_LF_LINES',
  'MULTIPART_MISSING_SEMICOLON',
  'MULTIPART_INVALID_QUOTING',
  'MULTIPART_INVALID_PART',
  'MULTIPART_INVALID_HEADER_FOLDING',
  'MULTIPART_FILE_LIMIT_EXCEEDED',
  'MULTIPART_FILENAME',
  'MULTIPART_NAME',
  'RESPONSE_STATUS',
  'RESPONSE_PROTOCOL',
  'RESPONSE_BODY',
  'RESPONSE_CONTENT_TYPE',
  'RESPONSE_CONTENT_LENGTH',
  'AUTH_TYPE',
  'FULL_REQUEST',
  'FULL_REQUEST_LENGTH',
  'INBOUND_DATA_ERROR',
  'OUTBOUND_DATA_ERROR',
  'DURATION',
  'HIGHEST_SEVERITY',
  'STATUS_LINE',
  'TIME',
  'TIME_EPOCH',
  'URLENCODED_ERROR',
  'USERID',
  'SESSIONID',
  'WEBAPPID',
] as const;

/** Whether `name` (upper-case) is a variable this engine knows. */
export function knownVariable(name: string): boolean {
  return name in collections || name === 'XML' || (scalarNames as readonly string[]).includes(name);
}

/** Collections that rules never change within a phase: their reads are cached per phase. */
const stable = new Set([
  'ARGS',
  'ARGS_GET',
  'ARGS_POST',
  'ARGS_NAMES',
  'ARGS_GET_NAMES',
  'ARGS_POST_NAMES',
  'REQUEST_HEADERS',
  'REQUEST_HEADERS_NAMES',
  'REQUEST_COOKIES',
  'REQUEST_COOKIES_NAMES',
  'RESPONSE_HEADERS',
  'RESPONSE_HEADERS_NAMES',
  'FILES',
  'FILES_NAMES',
  'FILES_SIZES',
  'MULTIPART_PART_HEADERS',
]);

/**
 * Variables whose value no rule changes within a phase: the stable collections, XML, and every scalar but
 * REQBODY_PROCESSOR (which `ctl:requestBodyProcessor` sets in phase 1). Targets over these alone resolve the
 * same for every rule of a phase that has the same target list.
 */
export function fixedWithinPhase(name: string): boolean {
  if (name === 'REQBODY_PROCESSOR') return false;
  return stable.has(name) || name === 'XML' || (scalarNames as readonly string[]).includes(name);
}

const noPairs: Pair[] = [];

/** Reads any variable by upper-case name; unknown names read as empty. The result must not be modified. */
export function readCollection(s: TxState, name: string): Pair[] {
  const reader = (collections as Record<string, CollectionReader>)[name];
  if (reader === undefined) {
    const v = s.scalars.get(name);
    return v === undefined ? noPairs : [{ key: '', value: v }];
  }
  if (!stable.has(name)) return reader(s);
  let hit = s.readCache.get(name);
  if (hit === undefined) {
    hit = reader(s);
    s.readCache.set(name, hit);
  }
  return hit;
}
