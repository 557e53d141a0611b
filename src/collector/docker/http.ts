/**
 * GET requests to the Engine API over a unix socket or TCP, with one deadline per request and a cap on the
 * body. Every failure becomes a typed {@link DockerError}.
 */
import { type Agent, type IncomingMessage, type RequestOptions, request } from 'node:http';
import type { DockerClock } from './clock.ts';
import {
  DockerClosedError,
  type DockerError,
  DockerResponseError,
  DockerResponseTooLargeError,
  DockerStatusError,
  DockerTimeoutError,
  DockerUnreachableError,
} from './errors.ts';
import type { DockerEndpoint } from './host.ts';

/** What every request needs to know about its daemon. */
export interface HttpContext {
  readonly endpoint: DockerEndpoint;
  readonly userAgent: string;
  readonly clock: DockerClock;
}

/** Node request options for `GET path`; `agent: false` gives the request a socket of its own (streams). */
export function requestOptions(ctx: HttpContext, path: string, agent: Agent | false): RequestOptions {
  const headers = { 'User-Agent': ctx.userAgent, Accept: 'application/json' };
  const e = ctx.endpoint;
  if (e.kind === 'unix') return { method: 'GET', socketPath: e.socketPath, host: 'localhost', path, headers, agent };
  return { method: 'GET', host: e.host, port: e.port, path: `${e.basePath}${path}`, headers, agent };
}

export interface GetJsonOptions {
  /** Whole request: connect, headers and body. */
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly agent: Agent;
  /** Aborting it fails the request with {@link DockerClosedError}. */
  readonly signal: AbortSignal;
}

/**
 * `GET path` and its decoded JSON body. Rejects with {@link DockerUnreachableError} (no connection, or the
 * connection lost before the body ended), {@link DockerTimeoutError}, {@link DockerStatusError} (non-2xx, with
 * Docker's `message`), {@link DockerResponseTooLargeError}, {@link DockerResponseError} (not JSON) or
 * {@link DockerClosedError}; never with anything else.
 */
export function getJson(ctx: HttpContext, path: string, o: GetJsonOptions): Promise<unknown> {
  const url = ctx.endpoint.url;
  if (o.signal.aborted) return Promise.reject(new DockerClosedError(path));
  return new Promise<unknown>((resolve, reject) => {
    let done = false;
    /** The whole body arrived: the connection may go back to the pool even when the answer is an error. */
    let bodyRead = false;
    const finish = (err: DockerError | undefined, value?: unknown) => {
      if (done) return;
      done = true;
      timer.cancel();
      o.signal.removeEventListener('abort', onAbort);
      if (err === undefined) {
        resolve(value);
      } else {
        if (!bodyRead) req.destroy();
        reject(err);
      }
    };
    const onAbort = () => finish(new DockerClosedError(path));
    const timer = ctx.clock.setTimer(() => finish(new DockerTimeoutError(url, path, o.timeoutMs)), o.timeoutMs);
    o.signal.addEventListener('abort', onAbort, { once: true });
    const req = request(requestOptions(ctx, path, o.agent), (res) => {
      readBody(res, o.maxResponseBytes, (r) => {
        if (r === 'too-large') return finish(new DockerResponseTooLargeError(url, path, o.maxResponseBytes));
        if (r instanceof Error) {
          return finish(new DockerUnreachableError(url, path, `connection lost: ${r.message}`, { cause: r }));
        }
        bodyRead = true;
        const status = res.statusCode ?? 0;
        const text = r.toString('utf8');
        if (status < 200 || status > 299) return finish(new DockerStatusError(url, path, status, dockerMessage(text)));
        try {
          finish(undefined, JSON.parse(text));
        } catch (err) {
          finish(new DockerResponseError(url, path, 'answer is not JSON', { cause: err }));
        }
      });
    });
    req.on('error', (err) => finish(new DockerUnreachableError(url, path, err.message, { cause: err })));
    req.end();
  });
}

/**
 * Reads a whole body, or stops at `limit` bytes (`'too-large'`, also when Content-Length announces more), or
 * reports the error that cut it short. Calls `done` exactly once.
 */
export function readBody(res: IncomingMessage, limit: number, done: (r: Buffer | Error | 'too-large') => void): void {
  let settled = false;
  const settle = (r: Buffer | Error | 'too-large') => {
    if (settled) return;
    settled = true;
    if (r === 'too-large') res.destroy();
    done(r);
  };
  if (Number(res.headers['content-length']) > limit) {
    settle('too-large');
    return;
  }
  const chunks: Buffer[] = [];
  let n = 0;
  res.on('data', (chunk: Buffer) => {
    n += chunk.length;
    if (n > limit) settle('too-large');
    else chunks.push(chunk);
  });
  res.on('end', () => settle(Buffer.concat(chunks)));
  res.on('error', (err) => settle(err));
  res.on('close', () => settle(new Error('closed before the end of the body')));
}

/** Docker's error body is `{"message": "..."}`; anything else is shown as its first 200 characters. */
export function dockerMessage(text: string): string {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  } catch {}
  return text.slice(0, 200).trim();
}
