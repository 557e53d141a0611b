/** Fills a transaction's request variables from the request line and headers. */
import { parseQuery } from './body/index.ts';
import type { Pair, TxState } from './state.ts';

/** A request head as received, strings in Latin-1 (one character per byte). */
export interface RequestHead {
  /** Request-line method, verbatim. */
  readonly method: string;
  /** Request-line target, verbatim (origin form `/a?b`, or absolute form). */
  readonly uri: string;
  /** Request-line version (`HTTP/1.1`); empty for an HTTP/0.9-style line. */
  readonly protocol: string;
  /** Header fields in arrival order; names keep their case. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

function percentDecode(s: string): string {
  if (s.indexOf('%') < 0) return s;
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

export function parseCookies(header: string): Pair[] {
  const out: Pair[] = [];
  for (const piece of header.split(';')) {
    const p = piece.replace(/^[ \t]+/, '');
    if (p === '') continue;
    const eq = p.indexOf('=');
    out.push(eq < 0 ? { key: p, value: '' } : { key: p.slice(0, eq), value: p.slice(eq + 1) });
  }
  return out;
}

/** Sets REQUEST_*, QUERY_STRING, ARGS_GET, REQUEST_HEADERS, REQUEST_COOKIES and REQBODY_PROCESSOR. */
export function fillRequest(s: TxState, head: RequestHead, separator: string, argumentsLimit: number): void {
  const sc = s.scalars;
  sc.set('REQUEST_METHOD', head.method);
  sc.set('REQUEST_PROTOCOL', head.protocol);
  sc.set(
    'REQUEST_LINE',
    head.protocol === '' ? `${head.method} ${head.uri}` : `${head.method} ${head.uri} ${head.protocol}`,
  );
  sc.set('REQUEST_URI_RAW', head.uri);
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(head.uri);
  const uri = abs === null ? head.uri : head.uri.slice(abs[0].length) || '/';
  sc.set('REQUEST_URI', uri);
  const q = uri.indexOf('?');
  const path = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? '' : uri.slice(q + 1);
  // The path is percent-decoded (`+` stays), as web servers hand it to ModSecurity.
  const file = percentDecode(path);
  sc.set('REQUEST_FILENAME', file);
  sc.set('PATH_INFO', file);
  sc.set('REQUEST_BASENAME', file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1));
  sc.set('QUERY_STRING', query);
  s.member('ARGS_GET').push(...parseQuery(query, separator, argumentsLimit));
  const headers = s.member('REQUEST_HEADERS');
  for (const [name, value] of head.headers) {
    headers.push({ key: name, value });
    if (name.toLowerCase() === 'cookie') s.member('REQUEST_COOKIES').push(...parseCookies(value));
  }
  const ct = (head.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').toLowerCase();
  if (ct.startsWith('application/x-www-form-urlencoded')) s.bodyProcessor = 'URLENCODED';
  else if (ct.startsWith('multipart/form-data')) s.bodyProcessor = 'MULTIPART';
  if (s.bodyProcessor !== undefined) sc.set('REQBODY_PROCESSOR', s.bodyProcessor);
  updateCombinedSize(s);
}

export function updateCombinedSize(s: TxState): void {
  let n = 0;
  for (const p of s.member('ARGS_GET')) n += p.key.length + p.value.length;
  for (const p of s.member('ARGS_POST')) n += p.key.length + p.value.length;
  s.scalars.set('ARGS_COMBINED_SIZE', String(n));
}
