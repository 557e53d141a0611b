/**
 * Names, images and labels of Docker containers, kept current for the collector: filled from a listing when the
 * event stream opens (at start and after every reconnect), refreshed on container events, and asked for on
 * demand when the collector meets a container cgroup it has no identity for. While the daemon is away, lookups
 * answer from what is known (or nothing) and the stream retries in the background.
 */
import type { Logger } from '../../log/index.ts';
import type { ContainerMeta } from '../types.ts';
import type { DockerEvent, DockerVersion } from './api-types.ts';
import { containerIdFromCgroup, isContainerId } from './cgroup-id.ts';
import { DockerClient, type DockerClientOptions } from './client.ts';
import { systemClock } from './clock.ts';
import {
  DockerClosedError,
  DockerError,
  DockerOptionError,
  DockerStatusError,
  DockerTimeoutError,
  DockerUnreachableError,
  isNotFound,
} from './errors.ts';
import type { DockerEventSubscription } from './events.ts';
import { resolveDockerHost } from './host.ts';
import { metaFromInspect, sameMeta } from './meta.ts';
import type { ProblemLog } from './problems.ts';

export interface DockerMetadataOptions extends Omit<DockerClientOptions, 'endpoint'> {
  /**
   * `collector.docker.host` (`unix:///path`, `tcp://host:port`); undefined or blank: `DOCKER_HOST`, else
   * `unix:///var/run/docker.sock`. An unusable value (`ssh://…`) makes the constructor throw `DockerHostError`.
   */
  host?: string | undefined;
  /** Where `DOCKER_HOST` is read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Where problems go, once per kind (`docker.unreachable`, `docker.events`, `docker.api`); `forget`, when there,
   * is called for `docker.unreachable` when the daemon answers again, so a later outage is logged too.
   */
  problems: ProblemLog & { forget?(key: string): void };
  /** Reconnections are logged here at info. */
  logger?: Logger;
  /**
   * How long an id the daemon answered 404 for (a containerd or CRI-O container, one already gone) is not asked
   * about again. @default 300000
   */
  unknownRetryMs?: number;
  /** Inspects in flight while resynchronizing. @default 4 */
  syncConcurrency?: number;
  /**
   * Called after a container's identity appeared or changed (`meta`) or went away (`undefined`); not for a
   * re-read that changed nothing. Exceptions it throws are dropped.
   */
  onChange?: (id: string, meta: ContainerMeta | undefined) => void;
}

interface Entry {
  meta: ContainerMeta;
  /** Value of the store counter when last confirmed by an inspect. */
  stored: number;
}

interface Inflight {
  /** Another refresh was asked for while this one ran: run again when it ends. */
  dirty: boolean;
  done: Promise<void>;
}

/** Unknown-id memory is pruned above this many entries. */
const maxUnknown = 10_000;

/**
 * Container identity by 64-hex id. Lookups are synchronous and never throw; the `ContainerMeta` objects are
 * frozen and replaced (not mutated) when something changes, so a caller may cache on their identity.
 */
export class DockerMetadata {
  readonly client: DockerClient;
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Inflight>();
  private readonly unknown = new Map<string, number>();
  private readonly unknownRetryMs: number;
  private readonly syncConcurrency: number;
  private readonly now: () => number;
  private stores = 0;
  private isReachable = false;
  /** An outage was logged and not yet followed by an answer. */
  private outage = false;
  private daemon: DockerVersion | undefined;
  private subscription: DockerEventSubscription | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private started: Promise<void> | undefined;
  private settleStart: () => void = () => {};
  private closing: Promise<void> | undefined;

  constructor(private readonly o: DockerMetadataOptions) {
    this.unknownRetryMs = o.unknownRetryMs ?? 300_000;
    if (!(this.unknownRetryMs >= 0)) throw new DockerOptionError('unknownRetryMs', o.unknownRetryMs, 'must be >= 0');
    this.syncConcurrency = o.syncConcurrency ?? 4;
    if (!Number.isInteger(this.syncConcurrency) || this.syncConcurrency < 1) {
      throw new DockerOptionError('syncConcurrency', o.syncConcurrency, 'must be an integer >= 1');
    }
    const clock = o.clock ?? systemClock;
    this.now = () => clock.now();
    const { endpoint } = resolveDockerHost(o.host, o.env ?? process.env);
    this.client = new DockerClient({ ...o, endpoint });
  }

  /**
   * Opens the event stream. Resolves (never rejects) once the first attempt is over: the listing after the
   * stream opened is done, or the daemon could not be reached (then retries go on in the background).
   */
  start(): Promise<void> {
    if (this.started !== undefined) return this.started;
    this.started = new Promise<void>((resolve) => {
      this.settleStart = resolve;
    });
    if (this.closing !== undefined) {
      this.settleStart();
      return this.started;
    }
    this.subscription = this.client.events(
      (event) => this.onEvent(event),
      (err) => {
        this.problem(err, 'events');
        // A daemon (or proxy) that refuses the stream but answers the API still gets listed, at the retry pace.
        if (err instanceof DockerStatusError) void this.sync().then(this.settleStart);
        else this.settleStart();
      },
      () => {
        this.markReachable();
        void this.sync().then(this.settleStart);
      },
    );
    return this.started;
  }

  /**
   * The identity of the container a cgroup belongs to (`/docker/<id>`, `/system.slice/docker-<id>.scope`…), or
   * undefined for a raw cgroup, an id the daemon does not know, or one not known yet: then, if the daemon is
   * reachable, an inspect starts in the background and a later call has the answer.
   */
  metaForCgroup(cgroupId: string): ContainerMeta | undefined {
    const id = containerIdFromCgroup(cgroupId);
    if (id === undefined) return undefined;
    const entry = this.entries.get(id);
    if (entry !== undefined) return entry.meta;
    if (this.shouldAsk(id)) void this.refresh(id, false);
    return undefined;
  }

  /** Like {@link metaForCgroup}, but waits for the inspect an unknown id needs. Never rejects. */
  async resolveCgroup(cgroupId: string): Promise<ContainerMeta | undefined> {
    const id = containerIdFromCgroup(cgroupId);
    if (id === undefined) return undefined;
    const known = this.entries.get(id);
    if (known !== undefined) return known.meta;
    if (this.shouldAsk(id)) await this.refresh(id, false);
    return this.entries.get(id)?.meta;
  }

  /** The identity kept for a 64-hex container id. */
  metaForId(id: string): ContainerMeta | undefined {
    return this.entries.get(id)?.meta;
  }

  /** Ids with a kept identity. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** The daemon's `/version` from the last listing (for `cadvisor_version_info`'s `dockerVersion`). */
  get daemonVersion(): DockerVersion | undefined {
    return this.daemon;
  }

  /** False until the daemon first answers, and after a failure to reach it until it answers again. */
  get reachable(): boolean {
    return this.isReachable;
  }

  /** Stops the stream, fails requests in flight, and waits for the work they started. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.settleStart();
      await this.subscription?.close();
      await this.client.close();
      await Promise.all([...this.inflight.values()].map((f) => f.done));
      await this.syncing;
    })();
    return this.closing;
  }

  private shouldAsk(id: string): boolean {
    if (this.closing !== undefined || !this.isReachable) return false;
    const retryAt = this.unknown.get(id);
    return retryAt === undefined || this.now() >= retryAt;
  }

  private onEvent(e: DockerEvent): void {
    if (e.type !== 'container' || !isContainerId(e.id)) return;
    const action = (e.action.split(':', 1)[0] ?? '').trim();
    switch (action) {
      case 'destroy':
        this.drop(e.id);
        if (this.inflight.has(e.id)) void this.refresh(e.id);
        return;
      case 'start':
        this.unknown.delete(e.id);
        void this.refresh(e.id);
        return;
      case 'die':
      case 'rename':
      case 'health_status':
      case 'update':
        void this.refresh(e.id);
        return;
    }
  }

  /** Lists the daemon's containers, inspects each, and drops the ones that are gone. Coalesces callers. */
  private sync(): Promise<void> {
    if (this.syncing !== undefined) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && this.closing === undefined);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    const before = this.stores;
    try {
      this.daemon = await this.client.version();
      const list = await this.client.listContainers();
      this.markReachable();
      const listed = new Set(list.map((c) => c.id));
      await eachLimited([...listed], this.syncConcurrency, (id) => this.refresh(id));
      for (const [id, e] of this.entries) {
        if (!listed.has(id) && e.stored <= before && !this.inflight.has(id)) this.drop(id);
      }
    } catch (err) {
      this.problem(err, 'api');
    }
  }

  /**
   * Inspects `id` and stores or drops what it says. One inspect per id at a time: asked again meanwhile with
   * `again` (something changed since it started), it runs once more after, so the last answer is never older
   * than the last event; without, the caller just waits for the running one.
   */
  private refresh(id: string, again = true): Promise<void> {
    const running = this.inflight.get(id);
    if (running !== undefined) {
      running.dirty ||= again;
      return running.done;
    }
    const f: Inflight = { dirty: false, done: Promise.resolve() };
    f.done = (async () => {
      do {
        f.dirty = false;
        await this.inspectOnce(id);
      } while (f.dirty && this.closing === undefined);
      this.inflight.delete(id);
    })();
    this.inflight.set(id, f);
    return f.done;
  }

  private async inspectOnce(id: string): Promise<void> {
    try {
      const meta = metaFromInspect(await this.client.inspect(id));
      this.markReachable();
      this.unknown.delete(id);
      this.store(id, meta);
    } catch (err) {
      if (isNotFound(err)) {
        this.markReachable();
        this.drop(id);
        this.rememberUnknown(id);
      } else {
        this.problem(err, 'api');
      }
    }
  }

  private store(id: string, meta: ContainerMeta): void {
    if (this.closing !== undefined) return;
    this.stores++;
    const old = this.entries.get(id);
    if (old !== undefined && sameMeta(old.meta, meta)) {
      old.stored = this.stores;
      return;
    }
    this.entries.set(id, { meta, stored: this.stores });
    this.changed(id, meta);
  }

  private drop(id: string): void {
    if (this.entries.delete(id)) this.changed(id, undefined);
  }

  private changed(id: string, meta: ContainerMeta | undefined): void {
    try {
      this.o.onChange?.(id, meta);
    } catch {
      // A listener's bug must not break bookkeeping.
    }
  }

  private rememberUnknown(id: string): void {
    const now = this.now();
    this.unknown.delete(id);
    this.unknown.set(id, now + this.unknownRetryMs);
    if (this.unknown.size <= maxUnknown) return;
    for (const [k, at] of this.unknown) if (at <= now) this.unknown.delete(k);
    for (const k of this.unknown.keys()) {
      if (this.unknown.size <= maxUnknown / 2) break;
      this.unknown.delete(k);
    }
  }

  private markReachable(): void {
    if (this.isReachable) return;
    this.isReachable = true;
    if (!this.outage) return;
    this.outage = false;
    this.o.problems.forget?.('docker.unreachable');
    this.o.logger?.info('Docker daemon answers again', { docker: this.client.endpoint.url });
  }

  private problem(err: unknown, where: 'events' | 'api'): void {
    if (this.closing !== undefined || err instanceof DockerClosedError) return;
    const url = this.client.endpoint.url;
    if (err instanceof DockerUnreachableError || err instanceof DockerTimeoutError) {
      this.isReachable = false;
      this.outage = true;
      this.o.problems.once(
        'docker.unreachable',
        `Docker daemon at ${url} is not reachable (${err.message}): containers are collected as raw cgroups, ` +
          'without names, images or labels, until it answers; retrying in the background',
      );
      return;
    }
    const message = err instanceof DockerError ? err.message : String(err);
    this.o.problems.once(`docker.${where}`, `Docker API at ${url}: ${message}`);
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight. `fn` must not reject. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
