/**
 * One HTTP POST for the Slack and webhook channels: TLS and Authorization from the stored `http_config`,
 * redirects followed as Go's client does, one deadline over connect, request and response, and the response
 * body read only up to a cap.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { proxyAuthorization, proxyFor } from './proxy.ts';
import type { StoredHttp, StoredTls } from './stored.ts';

export interface PostResult {
  status: number;
  headers: IncomingHttpHeaders;
  /** The first `responseLimitBytes` of the body, as UTF-8. */
  body: string;
}

export interface PostOptions {
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  http: StoredHttp;
  timeoutMs: number;
  responseLimitBytes: number;
  signal: AbortSignal;
}

/** Why a POST got no response; `message` never holds the URL. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

const redirects = new Set([301, 302, 303, 307, 308]);
const maxRedirects = 10;
const tlsVersion = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;

/** Node TLS options; `ca_file` and `cert_file` are read at each call so rotated files are picked up. */
export function tlsConnectionOptions(t: StoredTls | undefined): ConnectionOptions {
  const o: ConnectionOptions = {};
  if (t === undefined) return o;
  o.rejectUnauthorized = !t.insecureSkipVerify;
  if (t.ca) o.ca = t.ca;
  else if (t.caFile) o.ca = readTlsFile(t.caFile, 'CA cert');
  if (t.cert) o.cert = t.cert;
  else if (t.certFile) o.cert = readTlsFile(t.certFile, 'client cert');
  if (t.key) o.key = t.key;
  if (t.serverName) o.servername = t.serverName;
  if (t.minVersion) o.minVersion = tlsVersion[t.minVersion];
  if (t.maxVersion) o.maxVersion = tlsVersion[t.maxVersion];
  return o;
}

function readTlsFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new PostError(`unable to load ${what} ${file}: ${e.code ?? e.message}`, false);
  }
}

/**
 * POSTs `body` and resolves with the final response; rejects with PostError on a connection error, a
 * timeout, an abort, or too many redirects. 307/308 repeat the POST; 301/302/303 switch to a GET without a
 * body (Go's rule). The Authorization header is dropped when a redirect leaves the original host.
 */
export async function post(o: PostOptions): Promise<PostResult> {
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = AbortSignal.any([o.signal, deadline]);
  let url = o.url;
  let method = 'POST';
  let body: Buffer | undefined = o.body;
  const originalHost = new URL(o.url).host;
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...o.headers };
      if (body !== undefined) headers['Content-Length'] = String(body.length);
      else delete headers['Content-Type'];
      if (o.http.authorization !== undefined && new URL(url).host === originalHost)
        headers.Authorization = o.http.authorization;
      const res = await send(url, method, headers, body, o.http, signal);
      const location = res.headers.location;
      if (redirects.has(res.statusCode ?? 0) && o.http.followRedirects && location !== undefined) {
        res.resume();
        if (hop + 1 >= maxRedirects) throw new PostError(`stopped after ${maxRedirects} redirects`, false);
        url = new URL(location, url).toString();
        if (res.statusCode !== 307 && res.statusCode !== 308) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { status: res.statusCode ?? 0, headers: res.headers, body: await readCapped(res, o.responseLimitBytes) };
    }
  } catch (err) {
    if (deadline.aborted) throw new PostError(`timeout after ${o.timeoutMs} ms`, true);
    if (o.signal.aborted) throw new PostError('canceled: the outbox is closing', false);
    if (err instanceof PostError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new PostError(describeNetError(e), false);
  }
}

function describeNetError(e: NodeJS.ErrnoException): string {
  // Node's messages name host and port at most (`connect ECONNREFUSED 127.0.0.1:9`), never the path.
  return e.message || e.code || 'request failed';
}

/**
 * Connection pools for direct requests: a burst of notifications to one receiver reuses its connections
 * instead of opening one per message. Pooled connections are keyed by host, port and TLS options (Node's
 * agent includes CA, certificate, server name and versions in the key), so differing settings never share one.
 */
const keepAliveHttp = new HttpAgent({ keepAlive: true, maxSockets: 16, timeout: 30_000 });
const keepAliveHttps = new HttpsAgent({ keepAlive: true, maxSockets: 16, timeout: 30_000 });

async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  http: StoredHttp,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const target = new URL(url);
  const https = target.protocol === 'https:';
  const tls = https ? tlsConnectionOptions(http.tls) : {};
  const proxy = proxyFor(target, http.proxy);
  const proxyAuth = proxy && proxyAuthorization(proxy);
  let req: ReturnType<typeof httpRequest>;
  if (proxy === undefined) {
    req = (https ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      signal,
      agent: https ? keepAliveHttps : keepAliveHttp,
      ...tls,
    });
  } else if (!https) {
    // Absolute-form request to the proxy.
    const h = { ...headers, Host: target.host, ...(proxyAuth ? { 'Proxy-Authorization': proxyAuth } : {}) };
    req = httpRequest({
      host: bare(proxy.hostname),
      port: proxy.port || 80,
      path: url,
      method,
      headers: h,
      signal,
      agent: false,
    });
  } else {
    const socket = await tunnel(proxy, target, http.proxy?.connectHeaders ?? {}, proxyAuth, signal);
    const servername = tls.servername ?? (isIP(bare(target.hostname)) === 0 ? target.hostname : undefined);
    req = httpsRequest(url, {
      method,
      headers,
      signal,
      ...tls,
      createConnection: () => {
        const secure = tlsConnect({ ...tls, socket, ...(servername ? { servername } : {}) });
        secure.once('close', () => socket.destroy()); // the tunnel outlives the TLS session otherwise
        return secure;
      },
    });
  }
  return new Promise((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end(body);
  });
}

const bare = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

/** Opens a CONNECT tunnel through `proxy` to the target's host and port. */
function tunnel(
  proxy: URL,
  target: URL,
  connectHeaders: Record<string, string[]>,
  proxyAuth: string | undefined,
  signal: AbortSignal,
): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || 443}`;
  const headers: Record<string, string | string[]> = { Host: authority, ...connectHeaders };
  if (proxyAuth !== undefined) headers['Proxy-Authorization'] = proxyAuth;
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: bare(proxy.hostname),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: authority,
      headers,
      signal,
      agent: false,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new PostError(`proxy refused CONNECT: ${res.statusCode}`, false));
    });
    req.on('response', (res) => {
      res.resume();
      reject(new PostError(`proxy refused CONNECT: ${res.statusCode}`, false));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads up to `limit` bytes, then drops the connection rather than reading the rest. */
function readCapped(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const finish = () => {
      res.removeAllListeners('data');
      resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      n += chunk.length;
      if (n >= limit) {
        finish();
        res.destroy();
      }
    });
    res.on('end', finish);
    res.on('error', (err) => (n >= limit ? undefined : reject(err)));
  });
}
