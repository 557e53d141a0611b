import { parseCpuinfo } from './cpuinfo.ts';
import { diskMap, filesystems, hugePages, int, networkDevices, onlineCpus } from './machine-devices.ts';
import { topology } from './machine-topology.ts';
import { MeminfoCollector } from './meminfo.ts';
import { type HostCollectorOptions, resolveHostOptions } from './options.ts';
import { type ProblemLog, silentProblems } from './problems.ts';
import { FileReader, trimEnd } from './read-file.ts';

/** A filesystem in cAdvisor's machine info (`FsInfo`). */
export interface MachineFilesystem {
  readonly device: string;
  /** Bytes. */
  readonly capacity: number;
  /** cAdvisor's filesystem kind: `vfs` for block-device filesystems, `zfs`, `nfs`. */
  readonly type: string;
  readonly inodes: number;
  readonly has_inodes: boolean;
}

/** A block device in cAdvisor's `disk_map`, keyed `major:minor`. */
export interface MachineDisk {
  readonly name: string;
  readonly major: number;
  readonly minor: number;
  /** Bytes. */
  readonly size: number;
  /** The active I/O scheduler (`mq-deadline`), `none` when there is none. */
  readonly scheduler: string;
}

/** A network interface in cAdvisor's machine info (lo, veth*, docker* and nerdctl* left out, as cAdvisor does). */
export interface MachineNetworkDevice {
  readonly name: string;
  readonly mac_address: string;
  /** Mb/s as /sys/class/net/<iface>/speed says (-1 unknown), 0 when unreadable. */
  readonly speed: number;
  readonly mtu: number;
}

export interface MachineCache {
  /** Bytes. */
  readonly size: number;
  readonly type: string;
  readonly level: number;
}

export interface MachineCore {
  readonly core_id: number;
  /** Logical CPUs of this core, ascending. */
  readonly thread_ids: number[];
  readonly caches: MachineCache[];
  readonly uncore_caches: MachineCache[];
  readonly socket_id: number;
}

export interface MachineHugePages {
  /** kB. */
  readonly page_size: number;
  readonly num_pages: number;
}

/** A NUMA node (or the whole machine as node 0 when the kernel has no NUMA). */
export interface MachineNode {
  readonly node_id: number;
  /** Bytes. */
  readonly memory: number;
  readonly hugepages: MachineHugePages[];
  readonly cores: MachineCore[];
  readonly caches: MachineCache[];
  readonly distances: number[];
}

/** cAdvisor's `/api/v1.3/machine` document (info.MachineInfo), with its JSON field names. */
export interface MachineInfo {
  /** RFC 3339 time the information was read. */
  readonly timestamp: string;
  readonly vendor_id: string;
  /** Online logical CPUs. */
  readonly num_cores: number;
  readonly num_physical_cores: number;
  readonly num_sockets: number;
  /** Maximum clock (cpufreq's cpuinfo_max_freq), else /proc/cpuinfo's current clock; kHz. */
  readonly cpu_frequency_khz: number;
  /** Bytes (MemTotal). */
  readonly memory_capacity: number;
  /** Bytes (SwapTotal). */
  readonly swap_capacity: number;
  readonly memory_by_type: Record<string, { readonly capacity: number; readonly dimm_count: number }>;
  readonly nvm: {
    readonly memory_mode_capacity: number;
    readonly app_direct_mode_capacity: number;
    readonly avg_power_budget: number;
  };
  readonly hugepages: MachineHugePages[];
  readonly machine_id: string;
  /** '' when unreadable (DMI needs root, VMs may have none). */
  readonly system_uuid: string;
  readonly boot_id: string;
  readonly filesystems: MachineFilesystem[];
  readonly disk_map: Record<string, MachineDisk>;
  readonly network_devices: MachineNetworkDevice[];
  readonly topology: MachineNode[];
  readonly cloud_provider: string;
  readonly instance_type: string;
  readonly instance_id: string;
}

/** The part of the machine info that machine_* exposes every pass; read every `machineRefreshMs`. */
export interface MachineInventory {
  readonly numCores: number;
  readonly numPhysicalCores: number;
  readonly numSockets: number;
  readonly clockKhz: number;
  readonly vendorId: string;
  readonly machineId: string;
  readonly systemUuid: string;
  readonly bootId: string;
}

/** Where the machine info comes from. */
export interface MachinePaths {
  readonly procPath: string;
  readonly sysPath: string;
  /** '' for the host root. */
  readonly rootPath: string;
}

/** Reads the CPU counts and identities (cAdvisor's sources, with sysfs fallbacks as cAdvisor has). */
export function readInventory(r: FileReader, p: MachinePaths): MachineInventory {
  const info = parseCpuinfo(r.read(`${p.procPath}/cpuinfo`) ?? '');
  const cpus = onlineCpus(r, p, info.logical);
  let physical = info.physicalCores;
  let sockets = info.sockets;
  if (physical === 0 || sockets === 0) {
    const cores = new Set<string>();
    const pkgs = new Set<number>();
    for (const cpu of cpus) {
      const pkg = int(r.tryRead(`${p.sysPath}/devices/system/cpu/cpu${cpu}/topology/physical_package_id`));
      const core = int(r.tryRead(`${p.sysPath}/devices/system/cpu/cpu${cpu}/topology/core_id`));
      if (!Number.isNaN(pkg)) pkgs.add(pkg);
      if (!Number.isNaN(core)) cores.add(`${pkg}/${core}`);
    }
    if (physical === 0) physical = cores.size;
    if (sockets === 0) sockets = pkgs.size;
  }
  let clockKhz = int(r.tryRead(`${p.sysPath}/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq`));
  if (Number.isNaN(clockKhz)) clockKhz = info.clockKhz;
  let machineId = r.tryRead(`${p.rootPath}/etc/machine-id`);
  if (machineId === null) machineId = r.read(`${p.rootPath}/var/lib/dbus/machine-id`);
  const uuid = r.read(`${p.sysPath}/class/dmi/id/product_uuid`);
  const bootId = r.read(`${p.procPath}/sys/kernel/random/boot_id`);
  return {
    numCores: cpus.length,
    numPhysicalCores: physical,
    numSockets: sockets,
    clockKhz,
    vendorId: info.vendorId,
    machineId: machineId === null ? '' : trimEnd(machineId),
    systemUuid: uuid === null ? '' : trimEnd(uuid),
    bootId: bootId === null ? '' : trimEnd(bootId),
  };
}

/** MemTotal and SwapTotal from /proc/meminfo, bytes (NaN when unreadable). */
export function readMemoryTotals(r: FileReader, procPath: string): { memTotalBytes: number; swapTotalBytes: number } {
  const m = new MeminfoCollector();
  const text = r.read(`${procPath}/meminfo`);
  if (text !== null) m.collect(text, []);
  return { memTotalBytes: m.memTotalBytes, swapTotalBytes: m.swapTotalBytes };
}

/**
 * cAdvisor's `/api/v1.3/machine` document, read now from /proc and /sys (a few ms: for API requests, not for every
 * pass). Files that cannot be read are reported once to `problems` and leave their fields empty or 0.
 */
export function machineInfo(
  nowMs: number = Date.now(),
  problems: ProblemLog = silentProblems,
  options: HostCollectorOptions = {},
): MachineInfo {
  const o = resolveHostOptions(options);
  const r = new FileReader(problems);
  const { memTotalBytes, swapTotalBytes } = readMemoryTotals(r, o.procPath);
  return readMachineInfo(r, o, readInventory(r, o), memTotalBytes, swapTotalBytes, nowMs);
}

/** Builds cAdvisor's machine document. `memTotalBytes`/`swapTotalBytes` come from the caller's /proc/meminfo read. */
export function readMachineInfo(
  r: FileReader,
  p: MachinePaths,
  inv: MachineInventory,
  memTotalBytes: number,
  swapTotalBytes: number,
  nowMs: number,
): MachineInfo {
  return {
    timestamp: new Date(nowMs).toISOString(),
    vendor_id: inv.vendorId,
    num_cores: inv.numCores,
    num_physical_cores: inv.numPhysicalCores,
    num_sockets: inv.numSockets,
    cpu_frequency_khz: inv.clockKhz,
    memory_capacity: Number.isNaN(memTotalBytes) ? 0 : memTotalBytes,
    swap_capacity: Number.isNaN(swapTotalBytes) ? 0 : swapTotalBytes,
    memory_by_type: {},
    nvm: { memory_mode_capacity: 0, app_direct_mode_capacity: 0, avg_power_budget: 0 },
    hugepages: hugePages(r, `${p.sysPath}/kernel/mm/hugepages`),
    machine_id: inv.machineId,
    system_uuid: inv.systemUuid,
    boot_id: inv.bootId,
    filesystems: filesystems(r, p),
    disk_map: diskMap(r, p),
    network_devices: networkDevices(r, p),
    topology: topology(r, p, memTotalBytes),
    cloud_provider: 'Unknown',
    instance_type: 'Unknown',
    instance_id: 'None',
  };
}
