/**
 * The Engine API event stream (`GET /events`, newline-delimited JSON) kept open for as long as its subscriber
 * wants it: reconnected after any failure with exponential backoff, each failure reported as a typed error.
 */
import { type ClientRequest, request } from 'node:http';
import { type DockerEvent, eventFrom } from './api-types.ts';
import type { DockerTimer } from './clock.ts';
import {
  type DockerError,
  DockerResponseError,
  DockerResponseTooLargeError,
  DockerStatusError,
  DockerTimeoutError,
  DockerUnreachableError,
} from './errors.ts';
import { dockerMessage, type HttpContext, readBody, requestOptions } from './http.ts';

/** Container events only. */
export const eventsPath = `/events?filters=${encodeURIComponent(JSON.stringify({ type: ['container'] }))}`;

/** A live event subscription. */
export interface DockerEventSubscription {
  /** True while a stream is open (between `onConnected` and the next failure). */
  readonly connected: boolean;
  /** Stops the stream and any pending reconnect; idempotent. No callback runs after it resolves. */
  close(): Promise<void>;
}

export interface EventStreamOptions {
  readonly ctx: HttpContext;
  /** Deadline for the response headers of each connection attempt. */
  readonly timeoutMs: number;
  /** Longest event line, bytes; a longer one drops the connection (and a reconnect follows). */
  readonly maxEventBytes: number;
  /** First reconnect delay; doubled after each failure up to `retryMaxMs`. */
  readonly retryInitialMs: number;
  /**
   * Longest reconnect delay. A stream that stayed open at least this long starts the next backoff from
   * `retryInitialMs` again.
   */
  readonly retryMaxMs: number;
  /** Each event, in the order received. Exceptions it throws are dropped. */
  readonly onEvent: (event: DockerEvent) => void;
  /** Each failure: a connection that could not be made or was lost, a bad status, a bad or oversized line. */
  readonly onError: (err: DockerError) => void;
  /** The stream is open (status 2xx received); events from here on are delivered. */
  readonly onConnected: () => void;
}

/** One subscription; starts connecting at construction. */
export class EventStream implements DockerEventSubscription {
  private req: ClientRequest | undefined;
  private reqClosed: Promise<void> = Promise.resolve();
  private retryTimer: DockerTimer | undefined;
  private closed = false;
  private isConnected = false;
  private delayMs = 0;
  private connectedAtMs = -1;

  constructor(private readonly o: EventStreamOptions) {
    this.connect();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.isConnected = false;
      this.retryTimer?.cancel();
      this.req?.destroy();
    }
    return this.reqClosed;
  }

  private connect(): void {
    if (this.closed) return;
    const { ctx, timeoutMs } = this.o;
    const url = ctx.endpoint.url;
    let ended = false;
    const end = (err: DockerError) => {
      if (ended) return;
      ended = true;
      headerTimer.cancel();
      req.destroy();
      if (this.closed) return;
      this.report(err);
      this.scheduleRetry();
    };
    const headerTimer = ctx.clock.setTimer(() => end(new DockerTimeoutError(url, eventsPath, timeoutMs)), timeoutMs);
    const req = request(requestOptions(ctx, eventsPath, false), (res) => {
      headerTimer.cancel();
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        readBody(res, 64 << 10, (r) => {
          const text = r instanceof Buffer ? r.toString('utf8') : '';
          end(new DockerStatusError(url, eventsPath, status, dockerMessage(text)));
        });
        return;
      }
      if (ended || this.closed) return;
      this.isConnected = true;
      this.connectedAtMs = ctx.clock.now();
      this.call(this.o.onConnected);
      const lines = new LineSplitter(this.o.maxEventBytes);
      res.on('data', (chunk: Buffer) => {
        if (ended || this.closed) return;
        if (!lines.push(chunk, (line) => this.line(line))) {
          end(new DockerResponseTooLargeError(url, eventsPath, this.o.maxEventBytes));
        }
      });
      const lost = () => end(new DockerUnreachableError(url, eventsPath, 'event stream closed by the daemon'));
      res.on('end', lost);
      res.on('error', lost);
      res.on('close', lost);
    });
    req.on('error', (err) => end(new DockerUnreachableError(url, eventsPath, err.message, { cause: err })));
    if (ctx.endpoint.kind === 'tcp') req.on('socket', (s) => s.setKeepAlive(true, 30_000));
    this.req = req;
    this.reqClosed = new Promise((resolve) => req.once('close', () => resolve()));
    req.end();
  }

  private line(text: string): void {
    if (this.closed || text.trim() === '') return;
    const url = this.o.ctx.endpoint.url;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      this.report(new DockerResponseError(url, eventsPath, 'event line is not JSON', { cause: err }));
      return;
    }
    const event = eventFrom(json);
    if (event === undefined) {
      this.report(new DockerResponseError(url, eventsPath, 'event without an actor id or action'));
      return;
    }
    this.call(() => this.o.onEvent(event));
  }

  private scheduleRetry(): void {
    const now = this.o.ctx.clock.now();
    const lasted = this.connectedAtMs >= 0 ? now - this.connectedAtMs : 0;
    const { retryInitialMs, retryMaxMs } = this.o;
    this.delayMs = this.delayMs === 0 || lasted >= retryMaxMs ? retryInitialMs : Math.min(this.delayMs * 2, retryMaxMs);
    this.isConnected = false;
    this.connectedAtMs = -1;
    this.retryTimer = this.o.ctx.clock.setTimer(() => {
      this.retryTimer = undefined;
      this.connect();
    }, this.delayMs);
  }

  private report(err: DockerError): void {
    if (!this.closed) this.call(() => this.o.onError(err));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch {
      // A subscriber's bug must not stop the stream.
    }
  }
}

/**
 * Splits a byte stream at `\n` (never inside a JSON string, nor inside a UTF-8 sequence) into lines of at most
 * `maxBytes`.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Calls `onLine` for each complete line in `chunk`; false when an unfinished line grew past `maxBytes`. */
  push(chunk: Buffer, onLine: (line: string) => void): boolean {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const part = chunk.subarray(start, nl);
      if (this.pendingBytes + part.length > this.maxBytes) return false;
      const line = this.pendingBytes === 0 ? part : Buffer.concat([...this.pending, part]);
      this.pending = [];
      this.pendingBytes = 0;
      onLine(line.toString('utf8'));
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
    }
    return this.pendingBytes <= this.maxBytes;
  }
}
