/**
 * The process table of a container, read on request (not every housekeeping pass): the pids its cgroup lists (or
 * every process of the machine), and for each its command line, user, state, threads, resident memory and CPU
 * from `/proc/<pid>/stat`, `/status` and `/cmdline`. CPU is the change of utime + stime between two reads: the
 * previous read of the same container when it is recent, else a second read `sampleMs` after the first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { nsPerUserHzTick } from '../cgroup/read-cpu.ts';
import { flatKeyed, parseIdList } from './parse.ts';
import { FileReader } from './read-file.ts';

/** One process as the table shows it. */
export interface ProcessRow {
  pid: number;
  ppid: number;
  /** The command line with its arguments joined by spaces (at most 512 characters); `[comm]` for kernel threads. */
  command: string;
  /** The user name of the real uid from /etc/passwd, else the uid as a string. */
  user: string;
  /** The state letter of /proc/<pid>/stat (R, S, D, Z, T…). */
  state: string;
  /** CPU over the sampled interval, percent of one core (200 = two cores busy); null when not measured. */
  cpuPercent: number | null;
  rssBytes: number;
  threads: number;
}

/** What `ProcessTable.read` returns. */
export interface ProcessList {
  /** Unix ms of the read the rows come from. */
  timestamp: number;
  /** Milliseconds the CPU figures are measured over. */
  intervalMs: number;
  /** Processes listed by the cgroup (or the machine), before the limit. */
  total: number;
  /** Whether rows were left out (more than the limit). */
  truncated: boolean;
  /** Sorted by pid. */
  processes: ProcessRow[];
}

export interface ProcessTableOptions {
  /** Mount point of procfs. @default /proc */
  procRoot?: string;
  /** Path of the user database. @default /etc/passwd */
  passwdPath?: string;
  /** Most processes read per request (the lowest pids). @default 500 */
  maxProcesses?: number;
  /** Time between the two reads when there is no recent previous one, ms. @default 250 */
  sampleMs?: number;
  /** A previous read older than this is not used for CPU, ms. @default 30000 */
  maxReuseMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** CPU ticks of one process at one read; `startTicks` tells a reused pid from the same process. */
interface CpuSample {
  ticks: number;
  startTicks: number;
}

interface Snapshot {
  atMs: number;
  samples: Map<number, CpuSample>;
}

/** Fields after the `)` closing comm in /proc/<pid>/stat, 0-based from the state (field 3). */
const statField = { state: 0, ppid: 1, utime: 11, stime: 12, threads: 17, starttime: 19 } as const;

/** Previous reads kept (one per container asked about); the oldest goes beyond. */
const maxSnapshots = 256;

/** Reads process tables; keeps the last read of each container for the next one's CPU. */
export class ProcessTable {
  private readonly procRoot: string;
  private readonly passwdPath: string;
  private readonly maxProcesses: number;
  private readonly sampleMs: number;
  private readonly maxReuseMs: number;
  private readonly now: () => number;
  private readonly files = new FileReader({ initialBytes: 4096, maxHeld: 0 });
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly pidScratch: number[] = [];
  private users: { atMs: number; names: Map<number, string> } | undefined;

  constructor(options: ProcessTableOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.passwdPath = options.passwdPath ?? '/etc/passwd';
    this.maxProcesses = options.maxProcesses ?? 500;
    this.sampleMs = options.sampleMs ?? 250;
    this.maxReuseMs = options.maxReuseMs ?? 30_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxProcesses) || this.maxProcesses < 1)
      throw new RangeError(`ProcessTableOptions.maxProcesses: must be a positive integer, got ${this.maxProcesses}`);
    if (!(this.sampleMs >= 0)) throw new RangeError(`ProcessTableOptions.sampleMs: must be >= 0, got ${this.sampleMs}`);
  }

  /**
   * The processes of `key` (a container id): the pids listed in the file `procsFile` (`cgroup.procs`), an explicit
   * list, or, for null, every process under procRoot. Pids that exit during the read are left out. Never throws
   * on a vanished process or cgroup (an empty list).
   */
  async read(key: string, procsFile: string | readonly number[] | null): Promise<ProcessList> {
    const { pids, total } = this.listPids(procsFile);
    let before = this.snapshots.get(key);
    let nowMs = this.now();
    if (before === undefined || nowMs - before.atMs > this.maxReuseMs || nowMs - before.atMs < this.sampleMs) {
      before = { atMs: nowMs, samples: this.sampleCpu(pids) };
      await new Promise((resolve) => setTimeout(resolve, this.sampleMs));
      nowMs = this.now();
    }
    const dtMs = nowMs - before.atMs;
    const samples = new Map<number, CpuSample>();
    const rows: ProcessRow[] = [];
    const users = this.userNames(nowMs);
    for (const pid of pids) {
      const row = this.readRow(pid, users, before.samples, dtMs, samples);
      if (row !== null) rows.push(row);
    }
    this.snapshots.delete(key);
    this.snapshots.set(key, { atMs: nowMs, samples });
    if (this.snapshots.size > maxSnapshots) this.snapshots.delete(this.snapshots.keys().next().value as string);
    return { timestamp: nowMs, intervalMs: dtMs, total, truncated: total > pids.length, processes: rows };
  }

  /** The lowest `maxProcesses` pids, ascending, and how many there were. */
  private listPids(source: string | readonly number[] | null): { pids: number[]; total: number } {
    let all: number[];
    if (source === null) {
      let names: string[];
      try {
        names = readdirSync(this.procRoot);
      } catch {
        names = [];
      }
      all = [];
      for (const n of names) {
        const c = n.charCodeAt(0);
        if (c >= 48 && c <= 57) all.push(Number(n));
      }
    } else if (typeof source === 'string') {
      const text = this.files.text(source);
      const n = text === null ? 0 : parseIdList(text, this.pidScratch);
      all = this.pidScratch.slice(0, n);
    } else {
      all = [...source];
    }
    all.sort((a, b) => a - b);
    return { pids: all.slice(0, this.maxProcesses), total: all.length };
  }

  private sampleCpu(pids: readonly number[]): Map<number, CpuSample> {
    const out = new Map<number, CpuSample>();
    for (const pid of pids) {
      const f = this.statFields(pid);
      if (f !== null) out.set(pid, cpuOf(f));
    }
    return out;
  }

  /** The fields of /proc/<pid>/stat after comm, with comm as the last element; null when the process is gone. */
  private statFields(pid: number): string[] | null {
    const text = this.files.text(`${this.procRoot}/${pid}/stat`);
    if (text === null) return null;
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    if (open < 0 || close < open) return null;
    const fields = text
      .slice(close + 2)
      .trimEnd()
      .split(' ');
    fields.push(text.slice(open + 1, close));
    return fields.length > statField.starttime + 1 ? fields : null;
  }

  private readRow(
    pid: number,
    users: ReadonlyMap<number, string>,
    before: ReadonlyMap<number, CpuSample>,
    dtMs: number,
    into: Map<number, CpuSample>,
  ): ProcessRow | null {
    const f = this.statFields(pid);
    if (f === null) return null;
    const cpu = cpuOf(f);
    into.set(pid, cpu);
    const prev = before.get(pid);
    const cpuPercent =
      prev === undefined || prev.startTicks !== cpu.startTicks || !(dtMs > 0)
        ? null
        : ((Math.max(0, cpu.ticks - prev.ticks) * nsPerUserHzTick) / 1e6 / dtMs) * 100;
    const status = this.files.text(`${this.procRoot}/${pid}/status`) ?? '';
    const uid = flatKeyed(status, 'Uid:');
    const rssKb = flatKeyed(status, 'VmRSS:');
    return {
      pid,
      ppid: Number(f[statField.ppid]),
      command: this.command(pid, f[f.length - 1] as string),
      user: uid === null ? '' : (users.get(uid) ?? String(uid)),
      state: f[statField.state] ?? '',
      cpuPercent,
      rssBytes: rssKb === null ? 0 : rssKb * 1024,
      threads: Number(f[statField.threads]) || 0,
    };
  }

  /** The command line (NULs as spaces, at most 512 characters), or `[comm]` when it is empty. */
  private command(pid: number, comm: string): string {
    const n = this.files.read(`${this.procRoot}/${pid}/cmdline`);
    if (n <= 0) return `[${comm}]`;
    let end = n;
    const b = this.files.bytes();
    while (end > 0 && b[end - 1] === 0) end--;
    const text = b.toString('utf8', 0, Math.min(end, 2048)).replaceAll('\0', ' ');
    return text.length > 512 ? `${text.slice(0, 511)}…` : text;
  }

  /** Uid → name from the passwd file, read again after a minute. */
  private userNames(nowMs: number): ReadonlyMap<number, string> {
    if (this.users !== undefined && nowMs - this.users.atMs < 60_000 && nowMs >= this.users.atMs)
      return this.users.names;
    const names = new Map<number, string>();
    try {
      for (const line of readFileSync(this.passwdPath, 'utf8').split('\n')) {
        const f = line.split(':');
        const uid = Number(f[2]);
        if (f[0] && f[2] !== '' && Number.isInteger(uid) && !names.has(uid)) names.set(uid, f[0]);
      }
    } catch {}
    this.users = { atMs: nowMs, names };
    return names;
  }
}

function cpuOf(f: readonly string[]): CpuSample {
  return {
    ticks: (Number(f[statField.utime]) || 0) + (Number(f[statField.stime]) || 0),
    startTicks: Number(f[statField.starttime]) || 0,
  };
}
