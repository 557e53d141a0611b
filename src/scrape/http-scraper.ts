/**
 * One target's HTTP GET, as Prometheus' `targetScraper`: keep-alive agents of its own, redirects as Go's client
 * follows them, gzip decoded while streaming, the body limit enforced while streaming, the timeout covering
 * request and body.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { HttpClientConfig } from '../config/index.ts';
import type { ScrapeClock } from './clock.ts';
import { authorizationHeader, tlsOptions } from './http-client.ts';
import {
  BodyReadError,
  BodySizeLimitError,
  HttpStatusError,
  ScrapeCanceledError,
  ScrapeRequestError,
  ScrapeTimeoutError,
  TooManyRedirectsError,
} from './scrape-errors.ts';

/** One target's request settings, fixed for the life of its loop. */
export interface ScraperOptions {
  /** The target's URL. */
  url: string;
  http: HttpClientConfig;
  timeoutMs: number;
  /** Bytes; 0 means no limit. */
  bodySizeLimit: number;
  accept: string;
  /** false sends `Accept-Encoding: identity`. */
  enableCompression: boolean;
  userAgent: string;
  clock: ScrapeClock;
}

/** A 200 response's body (decompressed) and Content-Type. */
export interface ScrapeResponse {
  body: Buffer;
  contentType: string;
}

const redirects = new Set([301, 302, 303, 307, 308]);
/** Go's http.Client gives up at the 10th redirect response. */
const maxRedirects = 10;

/** Scrapes one URL, one request at a time. `scrape` rejects with the errors of scrape-errors.ts only. */
export class TargetScraper {
  private readonly headers: Record<string, string>;
  private httpAgent: HttpAgent | undefined;
  private httpsAgent: HttpsAgent | undefined;
  private tlsFingerprint = '';
  private inflight: AbortController | undefined;

  constructor(private readonly o: ScraperOptions) {
    this.headers = {
      Accept: o.accept,
      'Accept-Encoding': o.enableCompression ? 'gzip' : 'identity',
      'User-Agent': o.userAgent,
      'X-Prometheus-Scrape-Timeout-Seconds': String(o.timeoutMs / 1000),
    };
    const auth = authorizationHeader(o.http);
    if (auth !== undefined) this.headers.Authorization = auth;
  }

  /** GETs the URL within the timeout. */
  async scrape(): Promise<ScrapeResponse> {
    const ac = new AbortController();
    this.inflight = ac;
    const timer = this.o.clock.setTimer(
      () => ac.abort(new ScrapeTimeoutError(this.o.url, this.o.timeoutMs)),
      this.o.timeoutMs,
    );
    try {
      let url = this.o.url;
      let referer: string | undefined;
      for (let hop = 0; ; hop++) {
        const res = await this.get(url, referer, ac.signal);
        const location = res.headers.location;
        if (redirects.has(res.statusCode ?? 0) && this.o.http.follow_redirects && location !== undefined) {
          res.resume();
          if (hop + 1 >= maxRedirects) throw new TooManyRedirectsError(location);
          referer = url.startsWith('https:') && !location.startsWith('https:') ? undefined : url;
          url = new URL(location, url).toString();
          continue;
        }
        if (res.statusCode !== 200) {
          res.resume();
          throw new HttpStatusError(res.statusCode ?? 0, res.statusMessage ?? '');
        }
        const body = await readBody(res, this.o.bodySizeLimit, ac.signal);
        return { body, contentType: String(res.headers['content-type'] ?? '') };
      }
    } catch (err) {
      throw ac.signal.aborted ? ac.signal.reason : err;
    } finally {
      timer.cancel();
      this.inflight = undefined;
    }
  }

  /** Aborts the scrape in flight, which rejects with ScrapeCanceledError. */
  cancel(): void {
    this.inflight?.abort(new ScrapeCanceledError(this.o.url));
  }

  /** Cancels and closes the kept-alive connections. Idempotent. */
  close(): void {
    this.cancel();
    this.httpAgent?.destroy();
    this.httpsAgent?.destroy();
    this.httpAgent = undefined;
    this.httpsAgent = undefined;
  }

  private get(url: string, referer: string | undefined, signal: AbortSignal): Promise<IncomingMessage> {
    const https = url.startsWith('https:');
    let agent: HttpAgent;
    let tls = {};
    if (https) {
      const t = tlsOptions(this.o.http.tls_config);
      if ('error' in t) return Promise.reject(new ScrapeRequestError(url, t.error));
      if (this.httpsAgent === undefined || t.fingerprint !== this.tlsFingerprint) {
        this.httpsAgent?.destroy();
        this.httpsAgent = new HttpsAgent({ keepAlive: true, ...t.options });
        this.tlsFingerprint = t.fingerprint;
      }
      agent = this.httpsAgent;
      tls = t.options;
    } else {
      this.httpAgent ??= new HttpAgent({ keepAlive: true });
      agent = this.httpAgent;
    }
    const headers = referer === undefined ? this.headers : { ...this.headers, Referer: referer };
    return new Promise((resolve, reject) => {
      let req: ReturnType<typeof httpRequest>;
      try {
        req = (https ? httpsRequest : httpRequest)(url, { method: 'GET', headers, agent, signal, ...tls });
      } catch (err) {
        reject(new ScrapeRequestError(url, (err as Error).message, { cause: err }));
        return;
      }
      req.on('response', resolve);
      req.on('error', (err) => reject(new ScrapeRequestError(url, (err as Error).message, { cause: err })));
      req.end();
    });
  }
}

/** Collects the body, gunzipping when the response says gzip; fails at `limit` bytes (0: none). */
function readBody(res: IncomingMessage, limit: number, signal: AbortSignal): Promise<Buffer> {
  const gzip = res.headers['content-encoding'] === 'gzip';
  const stream: Readable = gzip ? res.pipe(createGunzip()) : res;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      res.destroy();
      if (stream !== res) stream.destroy();
      reject(err);
    };
    const onAbort = () => fail(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (limit > 0 && n >= limit) fail(new BodySizeLimitError(limit));
      else chunks.push(chunk);
    });
    stream.on('error', (err) => fail(new BodyReadError(err.message, { cause: err })));
    res.on('aborted', () => fail(new BodyReadError('unexpected EOF')));
    stream.on('end', () => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(Buffer.concat(chunks, n));
    });
  });
}
