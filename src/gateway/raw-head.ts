/**
 * A lenient reading of a request head that Node's parser refused (an unknown method, a non-ASCII target, an
 * unsupported version): enough for the site's WAF to see what the client sent before the gateway answers 400,
 * so that the security event says what the request was (CRS's 911100, 920100, 920430, 934120 …) and not only
 * that it was malformed. Nothing here is used to serve a request.
 */

export interface RawHead {
  readonly method: string;
  readonly target: string;
  /** `1.1` for `HTTP/1.1`; the text after `HTTP/` for other versions; '' when the request line has none. */
  readonly version: string;
  /** Name, value, name, value … as received (Node's `rawHeaders` shape). */
  readonly rawHeaders: string[];
}

/** The most header lines read; the rest are ignored. */
const maxHeaders = 200;

/**
 * Reads the request line and header fields of `raw` (Latin-1, one character per byte); undefined when there is
 * no request line of the form `METHOD SP target [SP version]`, or a bare CR makes the head's lines ambiguous.
 */
export function parseRawHead(raw: Buffer | undefined, maxBytes: number): RawHead | undefined {
  if (raw === undefined || raw.length === 0) return undefined;
  const text = raw.subarray(0, Math.min(raw.length, maxBytes)).toString('latin1');
  let end = text.indexOf('\r\n\r\n');
  if (end < 0) end = text.indexOf('\n\n');
  const headText = end < 0 ? text : text.slice(0, end);
  // A CR that does not end a line leaves the fields' boundaries unknown: nothing is read.
  if (/\r(?!\n)/.test(headText)) return undefined;
  const lines = headText.split(/\r?\n/);
  // Not \S: a Latin-1 view of UTF-8 bytes holds U+00A0, which JavaScript counts as a space.
  const m = /^([^ \r\n]{1,64}) ([^ \r\n]{1,8192})(?: ([^ \r\n]*))?$/.exec(lines[0] ?? '');
  if (m === null) return undefined;
  const proto = m[3] ?? '';
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1, maxHeaders + 1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    rawHeaders.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return {
    method: m[1] as string,
    target: m[2] as string,
    version: proto.startsWith('HTTP/') ? proto.slice(5) : proto,
    rawHeaders,
  };
}

/** `rawHeaders` as Node's `headers` object: lower-case names, repeats joined with `, ` (cookies with `; `). */
export function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    const had = out[name];
    out[name] = had === undefined ? value : `${had}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return out;
}
