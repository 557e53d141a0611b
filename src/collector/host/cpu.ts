import type { MetricFamily } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';
import { appendNonEmpty, family, push } from './families.ts';
import { cpuColumns, type ProcStat, userHz } from './proc-stat.ts';

/** node_cpu_seconds_total's modes, in /proc/stat's column order. */
const modes = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
/** Column of idle, whose backward jump means a CPU went offline and came back. */
const idleColumn = 3;
/** node_exporter's jumpBackSeconds: idle going back this far resets the CPU's history. */
const jumpBackSeconds = 3;

/** Per CPU: its label sets and the highest value emitted per column. */
interface CpuState {
  readonly labels: Labels[];
  readonly seconds: Float64Array;
}

/**
 * node_exporter's cpu collector: node_cpu_seconds_total{cpu,mode} and node_cpu_guest_seconds_total{cpu,mode}.
 * As node_exporter, it never lets a counter go backwards (the kernel's iowait can): a column that decreased keeps its
 * previous value, and a CPU whose idle time fell by 3 s or more (hotplug) starts over.
 */
export class CpuCollector {
  private readonly cpus = new Map<number, CpuState>();
  private readonly seen = new Set<number>();

  collect(stat: ProcStat, out: MetricFamily[]): void {
    const seconds = family('node_cpu_seconds_total', 'counter', 'Seconds the CPUs spent in each mode.');
    const guest = family(
      'node_cpu_guest_seconds_total',
      'counter',
      'Seconds the CPUs spent in guests (VMs) for each mode.',
    );
    this.seen.clear();
    for (let i = 0; i < stat.cpuIds.length; i++) {
      const id = stat.cpuIds[i] as number;
      const st = this.state(id);
      this.seen.add(id);
      const prev = st.seconds;
      const base = i * cpuColumns;
      const idle = (stat.cpuTicks[base + idleColumn] as number) / userHz;
      if ((prev[idleColumn] as number) - idle >= jumpBackSeconds) prev.fill(0);
      for (let m = 0; m < cpuColumns; m++) {
        const v = (stat.cpuTicks[base + m] as number) / userHz;
        if (v > (prev[m] as number)) prev[m] = v;
        if (Number.isNaN(v)) continue;
        push(m < modes.length ? seconds : guest, st.labels[m] as Labels, prev[m] as number);
      }
    }
    if (this.cpus.size !== this.seen.size)
      for (const id of this.cpus.keys()) if (!this.seen.has(id)) this.cpus.delete(id);
    appendNonEmpty(out, seconds, guest);
  }

  private state(id: number): CpuState {
    let st = this.cpus.get(id);
    if (st === undefined) {
      const cpu = String(id);
      const labels: Labels[] = [];
      for (const mode of modes) labels.push(Labels.fromSortedFlat(['cpu', cpu, 'mode', mode]));
      labels.push(Labels.fromSortedFlat(['cpu', cpu, 'mode', 'user']));
      labels.push(Labels.fromSortedFlat(['cpu', cpu, 'mode', 'nice']));
      st = { labels, seconds: new Float64Array(cpuColumns) };
      this.cpus.set(id, st);
    }
    return st;
  }
}
