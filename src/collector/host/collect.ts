import type { MetricFamily } from '../../exposition/index.ts';
import { ArpCollector } from './arp.ts';
import { collectConntrack } from './conntrack.ts';
import { CpuCollector } from './cpu.ts';
import { DiskCollector, parseUdevData, type UdevProperties } from './disk.ts';
import { FilesystemCollector } from './filesystem.ts';
import { collectEntropy, collectFilefd } from './kernel-files.ts';
import { collectLoadavg } from './loadavg.ts';
import {
  type MachineInfo,
  type MachineInventory,
  readInventory,
  readMachineInfo,
  readMemoryTotals,
} from './machine.ts';
import { MachineMetrics } from './machine-metrics.ts';
import { MeminfoCollector } from './meminfo.ts';
import { NetClassCollector } from './netclass.ts';
import { NetstatCollector } from './netstat.ts';
import { NetworkCollector } from './network.ts';
import { type HostCollectorOptions, isDue, type ResolvedHostOptions, resolveHostOptions } from './options.ts';
import { collectPressure } from './pressure.ts';
import { type ProblemLog, silentProblems } from './problems.ts';
import { newProcStat, parseProcStat } from './proc-stat.ts';
import { errorCode, FileReader } from './read-file.ts';
import { collectSelinux } from './selinux.ts';
import { collectSockstat, pageSize } from './sockstat.ts';
import { SoftnetCollector } from './softnet.ts';
import { collectStat } from './stat.ts';
import { SystemInfoCollector } from './system-info.ts';
import { collectUdpQueues } from './udp-queues.ts';
import { VmstatCollector } from './vmstat.ts';

/**
 * The host (machine) side of the collector, read straight from /proc and /sys: node_exporter 1.5's families (cpu,
 * stat, loadavg, meminfo, filesystem, diskstats, netdev, netclass, vmstat, pressure, filefd, entropy, netstat,
 * sockstat, softnet, conntrack, arp, udp_queues, selinux, uname, os, time) with its names, types, help texts and
 * labels, and cAdvisor's machine_* inventory. Counters are read on every pass; values that rarely change (interface
 * properties other than operstate, including rx_nohandler; udev, os-release, uname, clocksource, selinux) every
 * `slowRefreshMs`, the CPU inventory every `machineRefreshMs`. One instance keeps what a pass reuses (open files,
 * label sets, parsed mount tables, CPU counters' high-water marks); it is synchronous and not reentrant.
 */
export class HostCollector {
  private readonly o: ResolvedHostOptions;
  private readonly reader = new FileReader(silentProblems);
  private readonly procStat = newProcStat();
  private readonly cpu = new CpuCollector();
  private readonly meminfo = new MeminfoCollector();
  private readonly filesystem: FilesystemCollector;
  private readonly disk: DiskCollector;
  private readonly network: NetworkCollector;
  private readonly vmstat = new VmstatCollector();
  private readonly system: SystemInfoCollector;
  private readonly machine = new MachineMetrics();
  private readonly netstat = new NetstatCollector();
  private readonly softnet = new SoftnetCollector();
  private readonly arp = new ArpCollector();
  private pageBytes = 0;
  /** node_selinux_* from the last slow refresh. */
  private selinux: MetricFamily[] = [];
  private selinuxMs = Number.NEGATIVE_INFINITY;
  /** When the conntrack files were last found absent (module not loaded), ms; retried every slow refresh. */
  private conntrackAbsentMs = Number.NEGATIVE_INFINITY;
  private inventory: MachineInventory | null = null;
  private inventoryMs = Number.NEGATIVE_INFINITY;
  /** When /proc/pressure was last found absent (kernel < 4.20 or no CONFIG_PSI), ms; retried every slow refresh. */
  private pressureAbsentMs = Number.NEGATIVE_INFINITY;
  private problems: ProblemLog = silentProblems;

  constructor(options: HostCollectorOptions = {}) {
    this.o = resolveHostOptions(options);
    const o = this.o;
    this.filesystem = new FilesystemCollector(
      { mountPointsExclude: o.mountPointsExclude, fsTypesExclude: o.fsTypesExclude, rootPath: o.rootPath },
      { once: (k, m) => this.problems.once(k, m) },
    );
    this.disk = new DiskCollector(o.diskDevicesExclude, (major, minor) => this.udev(major, minor), o.slowRefreshMs);
    this.network = new NetworkCollector(
      o.netDevicesExclude,
      new NetClassCollector(this.reader, o.sysPath, o.slowRefreshMs),
    );
    this.system = new SystemInfoCollector(this.reader, o, o.slowRefreshMs);
  }

  /**
   * One pass: every family this host has, in a fresh array (the families and samples are not reused; their Labels
   * are, and are immutable). `nowMs` is the pass's Unix time: node_time_seconds and the refresh intervals use it.
   * A file that cannot be read is reported once to `problems` and its families are left out; never throws.
   */
  collect(nowMs: number, problems: ProblemLog): MetricFamily[] {
    this.problems = problems;
    this.reader.problems = problems;
    const out: MetricFamily[] = [];
    const { procPath } = this.o;
    const r = this.reader;
    this.guard('stat', () => {
      const text = r.read(`${procPath}/stat`, false, true);
      if (text === null) return;
      parseProcStat(text, this.procStat);
      this.cpu.collect(this.procStat, out);
      collectStat(this.procStat, out);
    });
    this.guard('loadavg', () => {
      const text = r.read(`${procPath}/loadavg`, false, true);
      if (text !== null) collectLoadavg(text, out);
    });
    this.guard('meminfo', () => {
      const text = r.read(`${procPath}/meminfo`, false, true);
      if (text !== null) this.meminfo.collect(text, out);
      else this.meminfo.memTotalBytes = this.meminfo.swapTotalBytes = Number.NaN;
    });
    this.guard('filesystem', () => {
      // PID 1's mount table is the host's when vigil runs in a container with the host's /proc.
      let text = r.tryRead(`${procPath}/1/mounts`, true, true);
      if (text === null) text = r.read(`${procPath}/mounts`, true, true);
      if (text !== null) this.filesystem.collect(text, out);
    });
    this.guard('diskstats', () => {
      const text = r.read(`${procPath}/diskstats`, false, true);
      if (text !== null) this.disk.collect(text, nowMs, out);
    });
    this.guard('netdev', () => {
      const text = r.read(`${procPath}/net/dev`, false, true);
      if (text !== null) this.network.collect(text, nowMs, out);
    });
    this.guard('vmstat', () => {
      const text = r.read(`${procPath}/vmstat`, false, true);
      if (text !== null) this.vmstat.collect(text, out);
    });
    this.guard('pressure', () => this.collectPressure(nowMs, out));
    this.guard('filefd', () => {
      const text = r.read(`${procPath}/sys/fs/file-nr`, false, true);
      if (text !== null) collectFilefd(text, out);
    });
    this.guard('entropy', () => {
      const avail = r.read(`${procPath}/sys/kernel/random/entropy_avail`, false, true);
      collectEntropy(avail, r.read(`${procPath}/sys/kernel/random/poolsize`, false, true), out);
    });
    this.guard('netstat', () => {
      const netstat = r.read(`${procPath}/net/netstat`, false, true);
      // snmp6 is absent when IPv6 is disabled.
      this.netstat.collect(
        netstat,
        r.read(`${procPath}/net/snmp`, false, true),
        r.tryRead(`${procPath}/net/snmp6`, false, true),
        out,
      );
    });
    this.guard('sockstat', () => {
      if (this.pageBytes === 0) this.pageBytes = pageSize(procPath);
      const v4 = r.read(`${procPath}/net/sockstat`, false, true);
      collectSockstat(v4, r.tryRead(`${procPath}/net/sockstat6`, false, true), this.pageBytes, out);
    });
    this.guard('softnet', () => {
      const text = r.read(`${procPath}/net/softnet_stat`, false, true);
      if (text !== null) this.softnet.collect(text, out);
    });
    this.guard('conntrack', () => this.collectConntrack(nowMs, out));
    this.guard('arp', () => {
      const text = r.read(`${procPath}/net/arp`, false, true);
      if (text !== null) this.arp.collect(text, out);
    });
    this.guard('udp_queues', () => {
      const v4 = r.read(`${procPath}/net/udp`, false, true);
      collectUdpQueues(v4, r.tryRead(`${procPath}/net/udp6`, false, true), out);
    });
    this.guard('selinux', () => {
      if (isDue(nowMs, this.selinuxMs, this.o.slowRefreshMs)) {
        this.selinux = [];
        const enforce = r.tryRead(`${this.o.sysPath}/fs/selinux/enforce`);
        collectSelinux(
          enforce,
          enforce === null ? null : r.tryRead(`${this.o.rootPath}/etc/selinux/config`),
          this.selinux,
        );
        this.selinuxMs = nowMs;
      }
      for (const f of this.selinux) out.push(f);
    });
    this.guard('system', () => this.system.collect(nowMs, out));
    this.guard('machine', () => {
      const inv = this.machineInventory(nowMs);
      this.machine.collect(inv, this.meminfo.memTotalBytes, this.meminfo.swapTotalBytes, out);
    });
    return out;
  }

  /** Closes the files kept open between passes. Idempotent; a later `collect` reopens what it needs. */
  close(): void {
    this.reader.close();
  }

  /**
   * cAdvisor's `/api/v1.3/machine` document, read now, with this collector's paths (the CPU inventory may be up to
   * `machineRefreshMs` old).
   */
  machineInfo(nowMs: number, problems: ProblemLog = silentProblems): MachineInfo {
    this.problems = problems;
    this.reader.problems = problems;
    const { memTotalBytes, swapTotalBytes } = readMemoryTotals(this.reader, this.o.procPath);
    return readMachineInfo(this.reader, this.o, this.machineInventory(nowMs), memTotalBytes, swapTotalBytes, nowMs);
  }

  private machineInventory(nowMs: number): MachineInventory {
    if (this.inventory === null || isDue(nowMs, this.inventoryMs, this.o.machineRefreshMs)) {
      this.inventory = readInventory(this.reader, this.o);
      this.inventoryMs = nowMs;
    }
    return this.inventory;
  }

  private collectPressure(nowMs: number, out: MetricFamily[]): void {
    if (!isDue(nowMs, this.pressureAbsentMs, this.o.slowRefreshMs)) return;
    const r = this.reader;
    const dir = `${this.o.procPath}/pressure`;
    const cpu = r.tryRead(`${dir}/cpu`, false, true);
    if (cpu === null && (r.lastError === 'ENOENT' || r.lastError === 'EOPNOTSUPP')) {
      this.problems.once(
        'host:pressure',
        `host collector: ${dir} unavailable (${r.lastError}); node_pressure_* needs Linux ≥ 4.20 with CONFIG_PSI`,
      );
      this.pressureAbsentMs = nowMs;
      return;
    }
    if (cpu === null)
      this.problems.once(`host:read:${dir}/cpu`, `host collector: cannot read ${dir}/cpu: ${r.lastError}`);
    collectPressure(cpu, r.read(`${dir}/io`, false, true), r.read(`${dir}/memory`, false, true), out);
  }

  private collectConntrack(nowMs: number, out: MetricFamily[]): void {
    if (!isDue(nowMs, this.conntrackAbsentMs, this.o.slowRefreshMs)) return;
    const r = this.reader;
    const dir = `${this.o.procPath}/sys/net/netfilter`;
    const count = r.tryRead(`${dir}/nf_conntrack_count`, false, true);
    if (count === null) {
      // No conntrack module: normal, and node_exporter reports nothing either.
      this.conntrackAbsentMs = nowMs;
      return;
    }
    const max = r.tryRead(`${dir}/nf_conntrack_max`, false, true);
    collectConntrack(count, max, r.tryRead(`${this.o.procPath}/net/stat/nf_conntrack`, false, true), out);
  }

  private udev(major: number, minor: number): UdevProperties | null {
    const path = `${this.o.rootPath}/run/udev/data/b${major}:${minor}`;
    const text = this.reader.tryRead(path);
    if (text === null) {
      this.problems.once(
        'host:udev',
        `host collector: no udev data (${path}: ${this.reader.lastError}); node_disk_info has no udev labels`,
      );
      return null;
    }
    return parseUdevData(text);
  }

  /** Runs one part of a pass; an unexpected error is reported once and the pass goes on. */
  private guard(part: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.problems.once(`host:${part}`, `host collector: ${part} failed: ${errorCode(err)}`);
    }
  }
}

let defaultCollector: HostCollector | undefined;

function shared(): HostCollector {
  defaultCollector ??= new HostCollector();
  return defaultCollector;
}

/**
 * One pass of the process-wide host collector, created on first use with the default options (node_exporter 1.5's
 * defaults as Debian ships them) and never closed. See `HostCollector.collect`; other options need their own
 * HostCollector.
 */
export function collectHost(nowMs: number, problems: ProblemLog): MetricFamily[] {
  return shared().collect(nowMs, problems);
}
