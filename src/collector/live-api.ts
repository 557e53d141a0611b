/**
 * The collector's side of the live and cAdvisor HTTP APIs, as plain data for the server to send: it knows the
 * rings, the server knows HTTP. Container ids are cgroup paths (`/`, `/docker/<id>`).
 */
import { readdirSync } from 'node:fs';
import { nsPerUserHzTick } from './cgroup/read-cpu.ts';
import { processesDir } from './cgroup/read-processes.ts';
import type { Collector, TrackedContainer } from './collector.ts';
import { machineInfo } from './host/machine.ts';
import {
  cadvisorContainerInfo,
  cadvisorStats,
  type HostExtras,
  type LivePoint,
  type LiveSummary,
  livePoint,
  summarize,
} from './live.ts';
import { decimalAt } from './proc/parse.ts';
import { type ProcessList, ProcessTable } from './proc/process-table.ts';
import { FileReader } from './proc/read-file.ts';
import type { ContainerStats } from './types.ts';

export type { LivePoint };

export interface LiveApiOptions {
  /** Mount point of procfs (the host's figures and the process table). @default /proc */
  procRoot?: string;
}

export class LiveApi {
  private readonly procRoot: string;
  private readonly files = new FileReader({ initialBytes: 4096, maxHeld: 4 });
  /** The host's figures at each pass of the root cgroup, kept as long as the ring keeps the pass. */
  private readonly host = new WeakMap<ContainerStats, HostExtras>();
  private readonly table: ProcessTable;

  /** Records the host's figures after every pass of `collector` from now on (until it closes). */
  constructor(
    private readonly collector: Collector,
    options: LiveApiOptions = {},
  ) {
    this.procRoot = options.procRoot ?? '/proc';
    this.table = new ProcessTable({ procRoot: this.procRoot });
    this.recordHost();
    collector.subscribe(() => this.recordHost());
  }

  /** The newest figures of every container, sorted by id. */
  summaries(): LiveSummary[] {
    const out: LiveSummary[] = [];
    for (const c of this.collector.containers().values()) {
      const s = this.summaryOf(c);
      if (s !== null) out.push(s);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * The ring of one container: the passes with timestamps >= `sinceMs` as points with rates (oldest first, the
   * ring's oldest pass left out: it has nothing to take rates from); undefined for an unknown id.
   */
  history(id: string, sinceMs: number): { summary: LiveSummary | null; points: LivePoint[] } | undefined {
    const c = this.collector.containers().get(id);
    if (c === undefined) return undefined;
    const passes = c.ring.list();
    const points: LivePoint[] = [];
    for (let i = passes.length - 1; i >= 1; i--) {
      const prev = passes[i - 1] as ContainerStats;
      const cur = passes[i] as ContainerStats;
      if (cur.timestampMs < sinceMs) break;
      points.push(livePoint(prev, cur, this.host.get(cur), this.host.get(prev)));
    }
    return { summary: this.summaryOf(c), points: points.reverse() };
  }

  /**
   * The processes of container `id` now (the whole machine's for `/`), at most `ProcessTable`'s limit, with CPU
   * from the previous read of the same container or a second read 250 ms later; undefined for an unknown id.
   */
  async processes(id: string): Promise<ProcessList | undefined> {
    const c = this.collector.containers().get(id);
    if (c === undefined) return undefined;
    if (id === '/') return this.table.read(id, null);
    const dir = processesDir(c.ref);
    return this.table.read(id, dir === undefined ? [] : `${dir}/cgroup.procs`);
  }

  private summaryOf(c: TrackedContainer): LiveSummary | null {
    const cur = c.ring.latest();
    const prev = c.ring.previous();
    if (c.ref.id !== '/' || cur === undefined) return summarize(c);
    return summarize(c, this.host.get(cur), prev === undefined ? undefined : this.host.get(prev));
  }

  /** Reads the host's process and thread counts (and per-CPU time when the root cgroup lacks it) for its newest pass. */
  private recordHost(): void {
    const root = this.collector.containers().get('/');
    const cur = root?.ring.latest();
    if (cur === undefined || this.host.has(cur)) return;
    this.host.set(cur, readHostExtras(this.files, this.procRoot, cur.cpu !== null && cur.cpu.perCpuNs !== null));
  }

  /** Calls `l` after every housekeeping pass. */
  subscribe(l: () => void): () => void {
    return this.collector.subscribe(() => l());
  }

  /** cAdvisor's `/api/v1.3/machine`. */
  machine(): unknown {
    return machineInfo();
  }

  /** cAdvisor's `/api/v1.3/containers/<id>`: the container with its direct children and `numStats` passes. */
  container(id: string, numStats: number): unknown {
    const c = this.collector.containers().get(id);
    if (c === undefined) return undefined;
    return cadvisorContainerInfo(c, this.children(id), numStats);
  }

  /** cAdvisor's `/api/v2.0/stats/<id>`: `{ <id>: [passes] }`, the container and, with `recursive`, its subtree. */
  statsV2(id: string, count: number, recursive: boolean): Record<string, unknown> | undefined {
    const all = this.collector.containers();
    const root = all.get(id);
    if (root === undefined) return undefined;
    const out: Record<string, unknown> = {};
    const add = (c: TrackedContainer) => {
      out[c.ref.id] = c.ring.list(Number.NEGATIVE_INFINITY, count).map(cadvisorStats);
    };
    add(root);
    if (recursive) for (const c of all.values()) if (c !== root && isUnder(c.ref.id, id)) add(c);
    return out;
  }

  private children(id: string): string[] {
    const out: string[] = [];
    for (const other of this.collector.containers().keys()) {
      if (other === id || !isUnder(other, id)) continue;
      const rest = id === '/' ? other.slice(1) : other.slice(id.length + 1);
      if (!rest.includes('/')) out.push(other);
    }
    return out.sort();
  }
}

/**
 * Whole-machine processes (the numeric entries of /proc), threads (the total of /proc/loadavg's fourth field,
 * every scheduling entity) and, unless `hasPerCpu`, busy time per CPU from /proc/stat (user, nice, system, irq,
 * softirq and steal ticks, in ns).
 */
function readHostExtras(files: FileReader, procRoot: string, hasPerCpu: boolean): HostExtras {
  let processes: number | null = null;
  try {
    processes = 0;
    for (const name of readdirSync(procRoot)) {
      const c = name.charCodeAt(0);
      if (c >= 48 && c <= 57) processes++;
    }
  } catch {
    processes = null;
  }
  const loadavg = files.text(`${procRoot}/loadavg`);
  const slash = loadavg === null ? -1 : loadavg.indexOf('/');
  const total = loadavg === null || slash < 0 ? Number.NaN : decimalAt(loadavg, slash + 1);
  const threads = Number.isFinite(total) ? total : null;
  return { processes, threads, perCpuNs: hasPerCpu ? null : perCpuBusyNs(files.text(`${procRoot}/stat`)) };
}

/** Busy ns per CPU from the `cpuN` lines of /proc/stat, index = N; null when there are none. */
export function perCpuBusyNs(stat: string | null): number[] | null {
  if (stat === null) return null;
  const out: number[] = [];
  for (const line of stat.split('\n')) {
    if (!line.startsWith('cpu') || line.charCodeAt(3) < 48 || line.charCodeAt(3) > 57) continue;
    const f = line.split(/\s+/);
    const cpu = Number(f[0]?.slice(3));
    const ticks = [1, 2, 3, 6, 7, 8].reduce((n, k) => n + (Number(f[k]) || 0), 0);
    out[cpu] = ticks * nsPerUserHzTick;
  }
  return out.length === 0 ? null : Array.from(out, (v) => v ?? 0);
}

function isUnder(id: string, parent: string): boolean {
  return parent === '/' ? id !== '/' : id.startsWith(`${parent}/`);
}
