/**
 * The collector's side of the live and cAdvisor HTTP APIs, as plain data for the server to send: it knows the
 * rings, the server knows HTTP. Container ids are cgroup paths (`/`, `/docker/<id>`).
 */
import type { Collector, TrackedContainer } from './collector.ts';
import { machineInfo } from './host/machine.ts';
import { cadvisorContainerInfo, cadvisorStats, type LiveSummary, summarize } from './live.ts';
import { counterRate } from './ring.ts';

/** One pass of a container's history with per-second rates from the pass before it. */
export interface LivePoint {
  t: number;
  cpuCores: number | null;
  memoryUsageBytes: number | null;
  memoryWorkingSetBytes: number | null;
  networkRxBytesPerSecond: number | null;
  networkTxBytesPerSecond: number | null;
  diskReadBytesPerSecond: number | null;
  diskWriteBytesPerSecond: number | null;
}

export class LiveApi {
  constructor(private readonly collector: Collector) {}

  /** The newest figures of every container, sorted by id. */
  summaries(): LiveSummary[] {
    const out: LiveSummary[] = [];
    for (const c of this.collector.containers().values()) {
      const s = summarize(c);
      if (s !== null) out.push(s);
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The ring of one container since `sinceMs`, as points with rates; undefined for an unknown id. */
  history(id: string, sinceMs: number): { summary: LiveSummary | null; points: LivePoint[] } | undefined {
    const c = this.collector.containers().get(id);
    if (c === undefined) return undefined;
    const passes = c.ring.list();
    const points: LivePoint[] = [];
    for (let i = 1; i < passes.length; i++) {
      const prev = passes[i - 1];
      const cur = passes[i];
      if (prev === undefined || cur === undefined || cur.timestampMs < sinceMs) continue;
      const dt = cur.timestampMs - prev.timestampMs;
      const cpu = counterRate(prev.cpu?.usageNs, cur.cpu?.usageNs, dt);
      const total = (xs: readonly { rxBytes?: number; txBytes?: number }[], k: 'rxBytes' | 'txBytes') =>
        xs.reduce((n, x) => n + (x[k] ?? 0), 0);
      points.push({
        t: cur.timestampMs,
        cpuCores: cpu === null ? null : cpu / 1e9,
        memoryUsageBytes: cur.memory?.usageBytes ?? null,
        memoryWorkingSetBytes: cur.memory?.workingSetBytes ?? null,
        networkRxBytesPerSecond: counterRate(total(prev.network, 'rxBytes'), total(cur.network, 'rxBytes'), dt),
        networkTxBytesPerSecond: counterRate(total(prev.network, 'txBytes'), total(cur.network, 'txBytes'), dt),
        diskReadBytesPerSecond: counterRate(
          prev.blkio.reduce((n, d) => n + d.readBytes, 0),
          cur.blkio.reduce((n, d) => n + d.readBytes, 0),
          dt,
        ),
        diskWriteBytesPerSecond: counterRate(
          prev.blkio.reduce((n, d) => n + d.writeBytes, 0),
          cur.blkio.reduce((n, d) => n + d.writeBytes, 0),
          dt,
        ),
      });
    }
    return { summary: summarize(c), points };
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

function isUnder(id: string, parent: string): boolean {
  return parent === '/' ? id !== '/' : id.startsWith(`${parent}/`);
}
