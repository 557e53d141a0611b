import type { MetricFamily } from '../../exposition/index.ts';
import { single } from './families.ts';
import type { ProcStat } from './proc-stat.ts';

/** node_exporter's stat collector: the system-wide counters and gauges of /proc/stat. */
export function collectStat(stat: ProcStat, out: MetricFamily[]): void {
  if (!Number.isNaN(stat.intr))
    out.push(single('node_intr_total', 'counter', 'Total number of interrupts serviced.', stat.intr));
  if (!Number.isNaN(stat.ctxt)) {
    out.push(single('node_context_switches_total', 'counter', 'Total number of context switches.', stat.ctxt));
  }
  if (!Number.isNaN(stat.btime))
    out.push(single('node_boot_time_seconds', 'gauge', 'Node boot time, in unixtime.', stat.btime));
  if (!Number.isNaN(stat.processes))
    out.push(single('node_forks_total', 'counter', 'Total number of forks.', stat.processes));
  if (!Number.isNaN(stat.procsRunning)) {
    out.push(single('node_procs_running', 'gauge', 'Number of processes in runnable state.', stat.procsRunning));
  }
  if (!Number.isNaN(stat.procsBlocked)) {
    out.push(
      single(
        'node_procs_blocked',
        'gauge',
        'Number of processes blocked waiting for I/O to complete.',
        stat.procsBlocked,
      ),
    );
  }
}
