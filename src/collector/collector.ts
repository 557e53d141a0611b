/**
 * The collector: every housekeeping interval (1 s) it reads every container cgroup and keeps the pass in that
 * container's live ring; every store interval (15 s) it appends the container and host families to an Appender,
 * with staleness markers for series that went away. Discovery rescans the cgroup trees every ten passes and when
 * the watcher reports a change; Docker names and labels come from the Engine API when a daemon answers.
 */
import { hostname } from 'node:os';
import type { MetricFamily } from '../exposition/index.ts';
import type { Logger } from '../log/index.ts';
import { Labels, staleNaN } from '../model/index.ts';
import type { Appendable } from '../storage/index.ts';
import { CgroupDiscovery } from './cgroup/discovery.ts';
import { readContainer, releaseSharedReader } from './cgroup/read.ts';
import { containerLabels } from './docker/labels.ts';
import { DockerMetadata } from './docker/metadata.ts';
import { type ContainerView, FamilyBuilder } from './families.ts';
import { collectHost } from './host/collect.ts';
import { LoggedProblems } from './problems.ts';
import { StatsRing } from './ring.ts';
import type { ContainerMeta, ContainerRef, ContainerSpec, ContainerStats } from './types.ts';

/** Passes between full rescans of the cgroup trees (the watcher reports most changes at once). */
const rescanEvery = 10;

export interface CollectorOptions {
  logger: Logger;
  /** Where samples are stored every `storeIntervalMs`; none for `vigil collector` (scraped instead). */
  appendable?: Appendable;
  /** Housekeeping: how often every container is read. @default 1000 */
  housekeepingIntervalMs?: number;
  /** How often samples go to the Appender. @default 15000 */
  storeIntervalMs?: number;
  /** Seconds of passes each live ring keeps. @default 300 */
  liveSeconds?: number;
  /** Root of the cgroup mounts. @default /sys/fs/cgroup */
  cgroupRoot?: string;
  /** Docker Engine API address (`unix:///…`, `tcp://…`); undefined: DOCKER_HOST, else the default socket. False: no Docker. */
  dockerHost?: string | false;
  /** Docker label keys exported as `container_label_*`; 'all' for every label. @default [] */
  labelAllowlist?: readonly string[] | 'all';
  /** Labels added to every stored series. @default { job: 'collector', instance: <hostname> } */
  targetLabels?: Readonly<Record<string, string>>;
  now?: () => number;
}

/** One tracked container: where it is, who it is, its live ring and its latest spec. */
export interface TrackedContainer {
  readonly ref: ContainerRef;
  meta: ContainerMeta | undefined;
  spec: ContainerSpec | undefined;
  readonly ring: StatsRing;
}

/** What a live subscriber receives after every pass: the containers' newest passes. */
export type LiveListener = (timestampMs: number, containers: ReadonlyMap<string, TrackedContainer>) => void;

export class Collector {
  private readonly log: Logger;
  private readonly problems: LoggedProblems;
  private readonly discovery: CgroupDiscovery;
  private readonly docker: DockerMetadata | null;
  private readonly tracked = new Map<string, TrackedContainer>();
  private readonly listeners = new Set<LiveListener>();
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly storeIntervalMs: number;
  private readonly ringSize: number;
  private readonly allowlist: readonly string[] | 'all';
  private readonly targetLabels: Readonly<Record<string, string>>;
  private timer: NodeJS.Timeout | null = null;
  /** Kept across calls: it caches the label sets of every container's series. */
  private readonly builder = new FamilyBuilder();
  private readonly storedLabels = new WeakMap<Labels, Labels>();
  private lastStoreMs = Number.NEGATIVE_INFINITY;
  private stored = new Map<string, Labels>();
  private rescan = true;
  /** The store in flight, if any: one at a time, and `close()` waits for it. */
  private storing: Promise<void> | null = null;
  private passes = 0;
  private closed = false;
  /** Duration of the last pass, ms (self-monitoring). */
  lastPassMs = 0;

  constructor(private readonly options: CollectorOptions) {
    this.log = options.logger;
    this.problems = new LoggedProblems(options.logger);
    this.now = options.now ?? Date.now;
    this.intervalMs = positive('housekeepingIntervalMs', options.housekeepingIntervalMs, 1000);
    this.storeIntervalMs = positive('storeIntervalMs', options.storeIntervalMs, 15_000);
    this.ringSize = Math.max(
      2,
      Math.round((positive('liveSeconds', options.liveSeconds, 300) * 1000) / this.intervalMs),
    );
    this.allowlist = options.labelAllowlist ?? [];
    this.targetLabels = options.targetLabels ?? { job: 'collector', instance: hostname() };
    this.discovery = new CgroupDiscovery({
      problems: this.problems,
      ...(options.cgroupRoot === undefined ? {} : { root: options.cgroupRoot }),
    });
    this.docker = options.dockerHost === false ? null : this.dockerMetadata(options.dockerHost);
  }

  /** Docker metadata, or null (logged) when the address cannot be used: raw cgroups are still collected. */
  private dockerMetadata(host: string | undefined): DockerMetadata | null {
    try {
      return new DockerMetadata({ host, problems: this.problems, logger: this.log });
    } catch (err) {
      this.problems.once('docker:host', `Docker metadata off: ${(err as Error).message}`);
      return null;
    }
  }

  /** Starts discovery, Docker metadata and the housekeeping timer (a first pass runs at once). */
  async start(): Promise<void> {
    await this.docker?.start();
    this.discovery.watch(() => {
      this.rescan = true;
    });
    this.housekeep();
    this.timer = setInterval(() => this.housekeep(), this.intervalMs);
    this.timer.unref?.();
  }

  /** One pass: discovery when needed, every container read, listeners told, samples stored when due. */
  housekeep(): void {
    if (this.closed) return;
    const started = performance.now();
    const now = this.now();
    // A full rescan when the watcher saw a change, and every `rescanEvery` passes for what it cannot see.
    if (this.rescan || this.passes % rescanEvery === 0) {
      this.rescan = false;
      this.refreshContainers();
    }
    this.passes++;
    for (const [id, c] of this.tracked) {
      c.meta = this.docker?.metaForCgroup(id);
      const pid = id === '/' ? 1 : (c.meta?.pid ?? 0);
      let read: { stats: ContainerStats; spec: ContainerSpec } | null;
      try {
        read = readContainer(c.ref, pid, now, this.problems);
      } catch (err) {
        this.problems.once(`read:${id}`, `cannot read container ${id}: ${(err as Error).message}`);
        read = null;
      }
      if (read === null) {
        this.tracked.delete(id);
        continue;
      }
      c.spec = read.spec;
      c.ring.push(read.stats);
    }
    for (const l of this.listeners) {
      try {
        l(now, this.tracked);
      } catch (err) {
        this.log.warn('live listener failed', { err: (err as Error).message });
      }
    }
    if (this.options.appendable !== undefined && now - this.lastStoreMs >= this.storeIntervalMs && !this.storing) {
      this.lastStoreMs = now;
      this.storing = this.store(now).finally(() => {
        this.storing = null;
      });
    }
    this.lastPassMs = performance.now() - started;
  }

  private refreshContainers(): void {
    let refs: ContainerRef[];
    try {
      refs = this.discovery.scan();
    } catch (err) {
      this.problems.once('discovery', `cgroup discovery failed: ${(err as Error).message}`);
      return;
    }
    const seen = new Set<string>();
    for (const ref of refs) {
      seen.add(ref.id);
      if (!this.tracked.has(ref.id)) {
        this.tracked.set(ref.id, { ref, meta: undefined, spec: undefined, ring: new StatsRing(this.ringSize) });
      }
    }
    for (const id of this.tracked.keys()) if (!seen.has(id)) this.tracked.delete(id);
  }

  /** Tracked containers by id (the cgroup path); valid until the next pass. */
  containers(): ReadonlyMap<string, TrackedContainer> {
    return this.tracked;
  }

  /** Calls `l` after every pass; returns the unsubscribe function. */
  subscribe(l: LiveListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The container families (newest pass of each container) and the host families, for `/metrics`. */
  families(nowMs = this.now()): MetricFamily[] {
    const b = this.builder;
    for (const c of this.tracked.values()) {
      const stats = c.ring.latest();
      if (stats === undefined || c.spec === undefined) continue;
      const view: ContainerView = {
        ref: c.ref,
        meta: c.meta,
        extraLabels: c.meta === undefined ? {} : containerLabels(c.meta, this.allowlist),
        stats,
        spec: c.spec,
      };
      b.container(view, nowMs);
    }
    return [...b.families(), ...collectHost(nowMs, this.problems)];
  }

  /** The stored label set of an exposed sample; cached by the exposed Labels, which the families reuse. */
  private storedLabelsOf(name: string, labels: Labels): Labels {
    const cached = this.storedLabels.get(labels);
    if (cached !== undefined && cached.get('__name__') === name) return cached;
    const built = withTarget(name, labels, this.targetLabels);
    this.storedLabels.set(labels, built);
    return built;
  }

  /** Appends every family sample at `now`, and staleness markers for series stored last time but gone now. */
  private async store(now: number): Promise<void> {
    const appendable = this.options.appendable;
    if (appendable === undefined) return;
    const app = appendable.appender();
    const next = new Map<string, Labels>();
    try {
      for (const f of this.families(now)) {
        for (const s of f.samples) {
          const labels = this.storedLabelsOf(s.name, s.labels);
          const key = labels.key();
          next.set(key, labels);
          try {
            app.append(labels, now, s.value);
          } catch (err) {
            this.problems.once(`append:${f.name}`, `cannot store ${f.name}: ${(err as Error).message}`);
          }
        }
      }
      for (const [key, labels] of this.stored) {
        if (next.has(key)) continue;
        try {
          app.append(labels, now, staleNaN);
        } catch {
          // A series that cannot take the marker (out of order) is left to go stale by lookback.
        }
      }
      await app.commit();
      this.stored = next;
    } catch (err) {
      app.rollback();
      this.problems.once('store', `cannot store collector samples: ${(err as Error).message}`);
    }
  }

  /** Stops the timer, the watcher and Docker; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.storing;
    this.discovery.close();
    releaseSharedReader();
    await this.docker?.close();
    this.listeners.clear();
  }
}

function withTarget(name: string, labels: Labels, target: Readonly<Record<string, string>>): Labels {
  const o = labels.toObject();
  for (const [k, v] of Object.entries(target)) if (!(k in o)) o[k] = v;
  o.__name__ = name;
  return Labels.fromObject(o);
}

function positive(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`CollectorOptions.${name}: must be positive, got ${v}`);
  return v;
}
