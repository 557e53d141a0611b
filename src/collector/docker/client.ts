/**
 * A small Docker Engine API client: `/version`, `/containers/json`, `/containers/{id}/json` and the `/events`
 * stream, over a unix socket or plain-HTTP TCP. Paths are unversioned: the daemon answers at its own API
 * version, and only fields stable across versions are read (`api-types.ts`), so no negotiation is needed and
 * daemons whose minimum API version moved past an old pin keep working.
 */
import { Agent } from 'node:http';
import {
  type DockerContainerInspect,
  type DockerContainerSummary,
  type DockerEvent,
  type DockerVersion,
  inspectFrom,
  summariesFrom,
  versionFrom,
} from './api-types.ts';
import { type DockerClock, systemClock } from './clock.ts';
import { DockerClosedError, type DockerError, DockerOptionError, DockerResponseError } from './errors.ts';
import { type DockerEventSubscription, EventStream } from './events.ts';
import type { DockerEndpoint } from './host.ts';
import { getJson, type HttpContext } from './http.ts';

export interface DockerClientOptions {
  /** Where the daemon listens (from `resolveDockerHost`). */
  endpoint: DockerEndpoint;
  /** Deadline of each request, connect to last body byte; for the event stream, until its headers. @default 5000 */
  requestTimeoutMs?: number;
  /** Largest body accepted; a listing of thousands of containers stays far below it. @default 32 MiB */
  maxResponseBytes?: number;
  /** Largest single event line. @default 1 MiB */
  maxEventBytes?: number;
  /** First delay before reconnecting the event stream; doubles per failure. @default 500 */
  eventRetryInitialMs?: number;
  /** Longest delay between reconnect attempts (the slow pace while the daemon is away). @default 30000 */
  eventRetryMaxMs?: number;
  /** @default 'vigil-collector' */
  userAgent?: string;
  /** @default the system clock */
  clock?: DockerClock;
}

type Resolved = Required<DockerClientOptions>;

/**
 * Safe for concurrent use; at most 4 requests share the daemon at once (more wait for a socket), and the event
 * stream has a connection of its own. Every method rejects only with a `DockerError`.
 */
export class DockerClient {
  readonly endpoint: DockerEndpoint;
  private readonly o: Resolved;
  private readonly ctx: HttpContext;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 2 });
  private readonly closing = new AbortController();
  private readonly streams = new Set<EventStream>();

  constructor(options: DockerClientOptions) {
    this.o = {
      requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 5000),
      maxResponseBytes: positive('maxResponseBytes', options.maxResponseBytes, 32 << 20),
      maxEventBytes: positive('maxEventBytes', options.maxEventBytes, 1 << 20),
      eventRetryInitialMs: positive('eventRetryInitialMs', options.eventRetryInitialMs, 500),
      eventRetryMaxMs: positive('eventRetryMaxMs', options.eventRetryMaxMs, 30_000),
      userAgent: options.userAgent ?? 'vigil-collector',
      clock: options.clock ?? systemClock,
      endpoint: options.endpoint,
    };
    if (this.o.eventRetryMaxMs < this.o.eventRetryInitialMs) {
      throw new DockerOptionError('eventRetryMaxMs', this.o.eventRetryMaxMs, 'must be >= eventRetryInitialMs');
    }
    this.endpoint = options.endpoint;
    this.ctx = { endpoint: options.endpoint, userAgent: this.o.userAgent, clock: this.o.clock };
  }

  /** `GET /version`. */
  async version(): Promise<DockerVersion> {
    return this.get('/version', versionFrom);
  }

  /** `GET /containers/json`: running (and paused) containers, or all of them with `all`. */
  async listContainers(options: { all?: boolean } = {}): Promise<DockerContainerSummary[]> {
    return this.get(`/containers/json${options.all ? '?all=1' : ''}`, summariesFrom);
  }

  /** `GET /containers/{id}/json`; `id` may also be a name or a unique id prefix. 404 for an unknown one. */
  async inspect(id: string): Promise<DockerContainerInspect> {
    return this.get(`/containers/${encodeURIComponent(id)}/json`, inspectFrom);
  }

  /**
   * Subscribes to container events until the subscription (or the client) is closed. Never throws: failures go
   * to `onError` and a reconnect follows after a backoff. `onConnected` runs each time a stream opens; events
   * that happened while no stream was open are lost, so a subscriber resynchronizes there.
   */
  events(
    onEvent: (event: DockerEvent) => void,
    onError: (err: DockerError) => void,
    onConnected: () => void = () => {},
  ): DockerEventSubscription {
    const o = this.o;
    const stream = new EventStream({
      ctx: this.ctx,
      timeoutMs: o.requestTimeoutMs,
      maxEventBytes: o.maxEventBytes,
      retryInitialMs: o.eventRetryInitialMs,
      retryMaxMs: o.eventRetryMaxMs,
      onEvent,
      onError,
      onConnected,
    });
    if (this.closing.signal.aborted) void stream.close();
    else this.streams.add(stream);
    return {
      get connected() {
        return stream.connected;
      },
      close: () => {
        this.streams.delete(stream);
        return stream.close();
      },
    };
  }

  /** Fails requests in flight with `DockerClosedError`, stops every event stream, drops idle connections. */
  async close(): Promise<void> {
    this.closing.abort();
    const streams = [...this.streams];
    this.streams.clear();
    await Promise.all(streams.map((s) => s.close()));
    this.agent.destroy();
  }

  private async get<T>(path: string, shape: (json: unknown) => T | undefined): Promise<T> {
    if (this.closing.signal.aborted) throw new DockerClosedError(path);
    const json = await getJson(this.ctx, path, {
      timeoutMs: this.o.requestTimeoutMs,
      maxResponseBytes: this.o.maxResponseBytes,
      agent: this.agent,
      signal: this.closing.signal,
    });
    const value = shape(json);
    if (value === undefined) throw new DockerResponseError(this.endpoint.url, path, 'answer of an unexpected shape');
    return value;
  }
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new DockerOptionError(field, value, 'must be a positive number');
  return value;
}
