import { TextCursor } from './cursor.ts';

/** Ticks per second of /proc/stat's CPU times (USER_HZ, 100 on every Linux architecture Prometheus supports). */
export const userHz = 100;

/** Number of CPU time columns read per CPU line: user … guest_nice. */
export const cpuColumns = 10;

/** What /proc/stat says, in its units. Arrays are reused by the next `parseProcStat` into the same object. */
export interface ProcStat {
  /** CPU numbers of the `cpuN` lines, in file order (offline CPUs have none). */
  cpuIds: number[];
  /**
   * Ticks per CPU, `cpuColumns` per entry of `cpuIds`: user, nice, system, idle, iowait, irq, softirq, steal, guest,
   * guest_nice; NaN for a column the kernel does not print.
   */
  cpuTicks: number[];
  /** Interrupts serviced (the first number of `intr`). NaN when absent, as every field below. */
  intr: number;
  ctxt: number;
  /** Boot time, Unix seconds. */
  btime: number;
  /** Forks since boot. */
  processes: number;
  procsRunning: number;
  procsBlocked: number;
}

export function newProcStat(): ProcStat {
  const n = Number.NaN;
  return { cpuIds: [], cpuTicks: [], intr: n, ctxt: n, btime: n, processes: n, procsRunning: n, procsBlocked: n };
}

const cur = new TextCursor();

/** Parses /proc/stat into `out` (reusing its arrays) and returns it. */
export function parseProcStat(text: string, out: ProcStat = newProcStat()): ProcStat {
  out.cpuIds.length = 0;
  out.cpuTicks.length = 0;
  out.intr = out.ctxt = out.btime = out.processes = out.procsRunning = out.procsBlocked = Number.NaN;
  const c = cur.reset(text);
  do {
    const t = c.text;
    const p = c.pos;
    if (t.startsWith('cpu', p)) {
      const d = t.charCodeAt(p + 3) - 48;
      if (d < 0 || d > 9) continue; // the `cpu` total line
      c.advance(3);
      out.cpuIds.push(c.number());
      for (let i = 0; i < cpuColumns; i++) out.cpuTicks.push(c.number());
    } else if (t.startsWith('intr ', p)) {
      c.advance(5);
      out.intr = c.number();
    } else if (t.startsWith('ctxt ', p)) {
      c.advance(5);
      out.ctxt = c.number();
    } else if (t.startsWith('btime ', p)) {
      c.advance(6);
      out.btime = c.number();
    } else if (t.startsWith('processes ', p)) {
      c.advance(10);
      out.processes = c.number();
    } else if (t.startsWith('procs_running ', p)) {
      c.advance(14);
      out.procsRunning = c.number();
    } else if (t.startsWith('procs_blocked ', p)) {
      c.advance(14);
      out.procsBlocked = c.number();
    }
  } while (c.nextLine());
  return out;
}
