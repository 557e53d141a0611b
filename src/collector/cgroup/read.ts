/**
 * One housekeeping read of one container: its cgroup files (v1 per controller, or v2 unified) and, from /proc, its
 * processes and its network namespace. Synchronous small-file reads into one reused buffer; no shelling out.
 */
import { statSync } from 'node:fs';
import type { ProblemLog } from '../problems.ts';
import { BlockDeviceNames } from '../proc/block-devices.ts';
import { readBootTimeMs, readMeminfo } from '../proc/machine.ts';
import { parseNetDev } from '../proc/net-dev.ts';
import { FileReader, isGone } from '../proc/read-file.ts';
import type {
  ContainerRef,
  ContainerSpec,
  ContainerStats,
  CpuStats,
  InterfaceStats,
  MemoryStats,
  ProcessStats,
} from '../types.ts';
import { CgroupFiles } from './files.ts';
import { readBlkioV1, readIoV2 } from './read-blkio.ts';
import { readCpuV1, readCpuV2 } from './read-cpu.ts';
import { readMemoryV1, readMemoryV2 } from './read-memory.ts';
import { type IdScratch, readProcesses } from './read-processes.ts';
import { readSpecV1, readSpecV2, type SpecWithoutCreation } from './read-spec.ts';

/** What one read of a container gives; `stats.timestampMs` is the `nowMs` passed in. */
export interface ContainerRead {
  stats: ContainerStats;
  spec: ContainerSpec;
}

export interface CgroupReaderOptions {
  /** Mount point of procfs. @default /proc */
  procRoot?: string;
  /** Mount point of sysfs (block device names). @default /sys */
  sysRoot?: string;
  /**
   * How often file descriptors, sockets and task states are counted (a readlink per fd, a read per task: the
   * dearest part of a pass); between, the last counts are reported with fresh process and thread counts.
   * @default 15000 (as often as samples are stored)
   */
  processDetailIntervalMs?: number;
}

const noProblems: ProblemLog = { once() {} };

/** A held control file not read for this long is closed (its container is no longer tracked). */
const heldIdleMs = 60_000;

/**
 * Reads containers. Holds the scratch buffer, the control files kept open between passes (closed when their
 * cgroup vanishes or after a minute unread), the device-name cache and each ref's creation time (computed once per
 * ContainerRef object). Not for concurrent use (reads are synchronous, so this only matters across workers).
 */
export class CgroupReader {
  private readonly procRoot: string;
  private readonly files = new FileReader();
  private readonly cg = new CgroupFiles(this.files, noProblems);
  private readonly names: BlockDeviceNames;
  private readonly scratch: IdScratch = { pids: [], tids: [] };
  private readonly creation = new WeakMap<ContainerRef, number>();
  private readonly details = new WeakMap<ContainerRef, { atMs: number; stats: ProcessStats }>();
  private readonly detailIntervalMs: number;
  private bootMs: number | null | undefined;
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(options: CgroupReaderOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.detailIntervalMs = options.processDetailIntervalMs ?? 15_000;
    this.names = new BlockDeviceNames(this.files, { procRoot: this.procRoot, sysRoot: options.sysRoot ?? '/sys' });
  }

  /**
   * Reads container `ref` now. `pid` is a process of the container in the host pid namespace whose network
   * namespace is the container's (0: none, no network stats; for the root `/`, 0 means pid 1). `nowMs` becomes
   * `stats.timestampMs`. A figure whose file is missing or unreadable is null (reported once to `problems`); the
   * whole read is null when the cgroup vanished during it. Never throws.
   */
  read(ref: ContainerRef, pid: number, nowMs: number, problems: ProblemLog): ContainerRead | null {
    const isRoot = ref.id === '/';
    const cg = this.cg;
    cg.begin(problems, isRoot, nowMs);
    this.sweep(nowMs);
    let cpu: CpuStats | null;
    let memory: MemoryStats | null;
    let blkio: ContainerStats['blkio'];
    let spec: SpecWithoutCreation;
    let pidsDir: string | undefined;
    const meminfo = isRoot ? readMeminfo(this.files, this.procRoot) : null;
    if (ref.version === 1) {
      spec = readSpecV1(cg, ref.dirs);
      cpu = readCpuV1(cg, ref.dirs, spec.cpuQuotaUs !== null);
      memory = readMemoryV1(cg, ref.dirs.memory);
      blkio = readBlkioV1(cg, ref.dirs.blkio, this.names, nowMs);
      pidsDir = ref.dirs.pids;
    } else {
      const dir = ref.dirs.unified;
      if (dir === undefined) return null;
      const controllersText = cg.text(dir, 'cgroup.controllers');
      const controllers = new Set(controllersText === null ? [] : controllersText.trim().split(' '));
      spec = readSpecV2(cg, dir, controllers);
      cpu = readCpuV2(cg, dir, spec.cpuQuotaUs !== null);
      memory =
        controllers.has('memory') || isRoot
          ? readMemoryV2(cg, dir, meminfo === null ? null : meminfo.totalBytes - meminfo.freeBytes)
          : null;
      blkio = readIoV2(cg, dir, controllers.has('io'), this.names, nowMs);
      pidsDir = controllers.has('pids') ? dir : undefined;
    }
    if (cg.vanished) return this.vanished(ref);
    const details = this.details.get(ref);
    const fresh = details === undefined || nowMs - details.atMs >= this.detailIntervalMs || nowMs < details.atMs;
    const processes = readProcesses(cg, ref, pidsDir, this.procRoot, this.scratch, fresh ? null : details.stats);
    if (fresh && processes !== null) this.details.set(ref, { atMs: nowMs, stats: processes });
    if (cg.vanished) return this.vanished(ref);
    const netPid = pid === 0 && isRoot ? 1 : pid;
    const network = netPid > 0 ? this.network(netPid, problems) : [];
    // The machine's memory is the root's limit (cAdvisor's machine capacity).
    const memoryLimitBytes = meminfo?.totalBytes ?? spec.memoryLimitBytes;
    const creationMs = this.creationOf(ref, nowMs);
    return {
      stats: { timestampMs: nowMs, cpu, memory, network, blkio, processes },
      spec: { ...spec, memoryLimitBytes, creationMs },
    };
  }

  /**
   * Closes every control file held open (they are reopened on the next read). Idempotent; the reader stays
   * usable.
   */
  close(): void {
    this.files.close();
  }

  /** Number of control files held open between passes. */
  get heldFiles(): number {
    return this.files.heldCount;
  }

  private vanished(ref: ContainerRef): null {
    for (const dir of Object.values(ref.dirs)) this.files.release(`${dir}/`);
    return null;
  }

  /** Closes held files of containers no longer read (removed from tracking without a failed read). */
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < heldIdleMs / 4 && nowMs >= this.lastSweepMs) return;
    this.lastSweepMs = nowMs;
    this.files.sweep(nowMs, heldIdleMs);
  }

  private network(pid: number, problems: ProblemLog): InterfaceStats[] {
    const path = `${this.procRoot}/${pid}/net/dev`;
    const text = this.files.text(path);
    if (text !== null) return parseNetDev(text);
    const code = this.files.lastError;
    if (isGone(code)) {
      problems.once('proc-net-pid-gone', `process ${pid} is gone: its container has no network stats in this pass`);
    } else {
      problems.once(`proc-net-unreadable:${code}`, `cannot read ${path} (${code}): no network stats`);
    }
    return [];
  }

  /**
   * cAdvisor's creation time of a raw cgroup: the oldest mtime of its directories and of their
   * `cgroup.clone_children` (v1) or `cgroup.events` (v2) — a directory's own mtime moves when children are created,
   * those files' do not — never before boot. Computed once per ref object.
   */
  private creationOf(ref: ContainerRef, nowMs: number): number {
    const cached = this.creation.get(ref);
    if (cached !== undefined) return cached;
    const marker = ref.version === 1 ? 'cgroup.clone_children' : 'cgroup.events';
    let lowest = nowMs;
    for (const [key, dir] of Object.entries(ref.dirs)) {
      if (ref.version === 1 && key === 'unified') continue;
      for (const p of [dir, `${dir}/${marker}`]) {
        const st = statSync(p, { throwIfNoEntry: false });
        if (st !== undefined && st.mtimeMs < lowest) lowest = st.mtimeMs;
      }
    }
    if (this.bootMs === undefined) this.bootMs = readBootTimeMs(this.files, this.procRoot);
    if (this.bootMs !== null && lowest < this.bootMs) lowest = this.bootMs;
    const creationMs = Math.floor(lowest);
    this.creation.set(ref, creationMs);
    return creationMs;
  }
}

let shared: CgroupReader | null = null;

/** Closes the control files the process-wide reader of `readContainer` holds open (for a collector's close). */
export function releaseSharedReader(): void {
  shared?.close();
}

/**
 * `CgroupReader.read` on a process-wide reader over /proc and /sys (created on first use; it holds only scratch
 * buffers and caches).
 */
export function readContainer(
  ref: ContainerRef,
  pid: number,
  nowMs: number,
  problems: ProblemLog,
): ContainerRead | null {
  shared ??= new CgroupReader();
  return shared.read(ref, pid, nowMs, problems);
}
