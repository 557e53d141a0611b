/**
 * Header rewriting between client and upstream: hop-by-hop headers out (RFC 9110 7.6.1, and those named in
 * `Connection`), `X-Forwarded-For`/`-Proto`/`-Host`, `Forwarded` (RFC 7239) and `X-Request-Id` in.
 */

/** Lower-case names that apply to one connection only and are never forwarded. */
export const hopByHop: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'http2-settings',
]);

/** Headers the gateway sets itself; a client's copies are dropped unless it is a trusted proxy. */
const forwardingHeaders: ReadonlySet<string> = new Set([
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'forwarded',
  'x-real-ip',
]);

export interface ForwardContext {
  /** The TCP peer (the client, or a proxy in front of the gateway). */
  readonly peerIp: string;
  /** Whether the peer is a trusted proxy: its forwarding headers are kept and extended. */
  readonly trusted: boolean;
  /** `https` on the TLS listener. */
  readonly proto: string;
  /** The request's Host (or HTTP/2 `:authority`). */
  readonly host: string;
  readonly requestId: string;
  /** Keep `Connection: upgrade` and `Upgrade` (a WebSocket handshake). */
  readonly upgrade?: string;
}

/** Names listed in `Connection` values, lower case. */
function connectionTokens(raw: readonly string[]): Set<string> | undefined {
  let out: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).length === 10 && (raw[i] as string).toLowerCase() === 'connection') {
      out ??= new Set();
      for (const t of (raw[i + 1] as string).split(',')) out.add(t.trim().toLowerCase());
    }
  }
  return out;
}

function quoteIfNeeded(v: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v) ? v : `"${v.replace(/["\\]/g, '\\$&')}"`;
}

function forwardedNode(ip: string): string {
  return ip.includes(':') ? `"[${ip}]"` : ip;
}

/**
 * The upstream request's headers as a flat `[name, value, …]` list, from the client's raw headers (names
 * keep their case, repeated headers stay repeated). Pseudo-headers of HTTP/2 are dropped and `host` added.
 */
export function upstreamRequestHeaders(raw: readonly string[], ctx: ForwardContext): string[] {
  const listed = connectionTokens(raw);
  const out: string[] = [];
  let xff: string | undefined;
  let proto: string | undefined;
  let fwdHost: string | undefined;
  let forwarded: string | undefined;
  let hasHost = false;
  let cookie: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name.charCodeAt(0) === 58 /* : */) continue;
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || listed?.has(lower)) continue;
    if (lower === 'x-request-id') continue;
    if (forwardingHeaders.has(lower)) {
      if (!ctx.trusted) continue;
      if (lower === 'x-forwarded-for') xff = xff === undefined ? value : `${xff}, ${value}`;
      else if (lower === 'x-forwarded-proto') proto ??= value;
      else if (lower === 'x-forwarded-host') fwdHost ??= value;
      else if (lower === 'forwarded') forwarded = forwarded === undefined ? value : `${forwarded}, ${value}`;
      else out.push(name, value);
      continue;
    }
    if (lower === 'cookie') {
      // HTTP/2 clients may split cookies into several fields; HTTP/1.1 wants one (RFC 9113 8.2.3).
      cookie = cookie === undefined ? value : `${cookie}; ${value}`;
      continue;
    }
    if (lower === 'host') hasHost = true;
    out.push(name, value);
  }
  if (cookie !== undefined) out.push('cookie', cookie);
  if (!hasHost && ctx.host !== '') out.push('host', ctx.host);
  const node = `for=${forwardedNode(ctx.peerIp)};host=${quoteIfNeeded(ctx.host)};proto=${ctx.proto}`;
  out.push(
    'x-forwarded-for',
    xff === undefined ? ctx.peerIp : `${xff}, ${ctx.peerIp}`,
    'x-forwarded-proto',
    proto ?? ctx.proto,
    'x-forwarded-host',
    fwdHost ?? ctx.host,
    'forwarded',
    forwarded === undefined ? node : `${forwarded}, ${node}`,
    'x-request-id',
    ctx.requestId,
  );
  if (ctx.upgrade !== undefined) out.push('connection', 'upgrade', 'upgrade', ctx.upgrade);
  return out;
}

/** The response's headers for the client as a flat list, without hop-by-hop ones. */
export function clientResponseHeaders(raw: readonly string[]): string[] {
  const listed = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase();
    if (hopByHop.has(lower) || listed?.has(lower)) continue;
    out.push(raw[i] as string, raw[i + 1] as string);
  }
  return out;
}

/** A flat header list as an object for HTTP/2 (lower-case names; repeated names become arrays). */
export function headerObject(flat: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i < flat.length; i += 2) {
    const name = (flat[i] as string).toLowerCase();
    const value = flat[i + 1] as string;
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}
