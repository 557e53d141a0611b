import { HostOptionError } from './errors.ts';

/**
 * What the host collector leaves out and how often it re-reads what rarely changes. The exclude defaults are those
 * of node_exporter 1.5.0 as Debian ships it (`prometheus-node-exporter`, the exporter vigil is compared with);
 * `upstreamExcludes` holds the upstream 1.5.0 defaults for those who compare with the official release.
 */
export interface HostCollectorOptions {
  /**
   * Mount points left out of node_filesystem_* (node_exporter's `--collector.filesystem.mount-points-exclude`).
   * @default debianExcludes.mountPoints
   */
  readonly mountPointsExclude?: RegExp;
  /**
   * Filesystem types left out of node_filesystem_* (`--collector.filesystem.fs-types-exclude`).
   * @default debianExcludes.fsTypes
   */
  readonly fsTypesExclude?: RegExp;
  /** Block devices left out of node_disk_* (`--collector.diskstats.device-exclude`). @default debianExcludes.diskDevices */
  readonly diskDevicesExclude?: RegExp;
  /**
   * Interfaces left out of node_network_*_total from /proc/net/dev (`--collector.netdev.device-exclude`); null keeps
   * all. The /sys/class/net families (up, info, mtu…) keep every interface, as node_exporter's netclass does.
   * @default debianExcludes.netDevices
   */
  readonly netDevicesExclude?: RegExp | null;
  /**
   * How long values that rarely change are reused before being read again, ms: interface properties from
   * /sys/class/net other than operstate (read every pass), os-release, uname, clocksource, udev disk properties.
   * A new interface or disk is read at once. 0 reads everything on every pass.
   * @default 10000
   */
  readonly slowRefreshMs?: number;
  /**
   * How long the machine inventory (CPU topology, machine/boot ids, for machine_* and `machineInfo()`) is reused,
   * ms; cAdvisor's `--update_machine_info_interval`.
   * @default 300000
   */
  readonly machineRefreshMs?: number;
  /** procfs mount point (`--path.procfs`). @default '/proc' */
  readonly procPath?: string;
  /** sysfs mount point (`--path.sysfs`). @default '/sys' */
  readonly sysPath?: string;
  /** Root of the host filesystem, for /etc/os-release, /etc/machine-id and /run/udev (`--path.rootfs`). @default '/' */
  readonly rootPath?: string;
}

/** node_exporter 1.5.0's exclude defaults as Debian patches them (Debian excludes /run, /mnt, /media and `lo`). */
export const debianExcludes = {
  mountPoints: /^\/(dev|proc|run|sys|mnt|media|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/,
  fsTypes:
    /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$/,
  diskDevices: /^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/,
  netDevices: /^lo$/ as RegExp | null,
} as const;

/** node_exporter 1.5.0's upstream exclude defaults. */
export const upstreamExcludes = {
  mountPoints: /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/,
  fsTypes: debianExcludes.fsTypes,
  diskDevices: debianExcludes.diskDevices,
  netDevices: null as RegExp | null,
} as const;

/** Options with every default applied. */
export interface ResolvedHostOptions {
  readonly mountPointsExclude: RegExp;
  readonly fsTypesExclude: RegExp;
  readonly diskDevicesExclude: RegExp;
  readonly netDevicesExclude: RegExp | null;
  readonly slowRefreshMs: number;
  readonly machineRefreshMs: number;
  readonly procPath: string;
  readonly sysPath: string;
  readonly rootPath: string;
}

function nonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new HostOptionError(name, v, 'must be a finite number ≥ 0');
  return v;
}

/** `re` without the g and y flags, whose `lastIndex` state would make `test` answer differently on each call. */
function stateless(re: RegExp): RegExp {
  return re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re;
}

function stripSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** Applies defaults; throws a HostOptionError naming the field for a negative or non-finite interval. */
export function resolveHostOptions(o: HostCollectorOptions = {}): ResolvedHostOptions {
  const root = stripSlash(o.rootPath ?? '/');
  return {
    mountPointsExclude: stateless(o.mountPointsExclude ?? debianExcludes.mountPoints),
    fsTypesExclude: stateless(o.fsTypesExclude ?? debianExcludes.fsTypes),
    diskDevicesExclude: stateless(o.diskDevicesExclude ?? debianExcludes.diskDevices),
    netDevicesExclude:
      o.netDevicesExclude === undefined
        ? debianExcludes.netDevices
        : o.netDevicesExclude && stateless(o.netDevicesExclude),
    slowRefreshMs: nonNegative('slowRefreshMs', o.slowRefreshMs ?? 10_000),
    machineRefreshMs: nonNegative('machineRefreshMs', o.machineRefreshMs ?? 300_000),
    procPath: stripSlash(o.procPath ?? '/proc'),
    sysPath: stripSlash(o.sysPath ?? '/sys'),
    rootPath: root === '/' ? '' : root,
  };
}

/**
 * Whether something last read at `lastMs` is due again at `nowMs`: `intervalMs` passed, or the clock went back by as
 * much (a wall clock stepped back must not freeze refreshes until it catches up).
 */
export function isDue(nowMs: number, lastMs: number, intervalMs: number): boolean {
  return Math.abs(nowMs - lastMs) >= intervalMs;
}
