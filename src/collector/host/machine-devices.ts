import { readdirSync, statfsSync } from 'node:fs';
import { parseCpuList } from './cpuinfo.ts';
import type {
  MachineDisk,
  MachineFilesystem,
  MachineHugePages,
  MachineNetworkDevice,
  MachinePaths,
} from './machine.ts';
import { parseMounts } from './mounts.ts';
import { type FileReader, trimEnd } from './read-file.ts';

/** The entries of a directory, [] when it cannot be read. */
export function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** A sysfs integer, NaN when absent or malformed. */
export function int(text: string | null): number {
  if (text === null) return Number.NaN;
  const s = text.trim();
  return s === '' ? Number.NaN : Number(s);
}

/** Huge page pools under `dir` (`hugepages-<size>kB/nr_hugepages`), by ascending page size. */
export function hugePages(r: FileReader, dir: string): MachineHugePages[] {
  const out: MachineHugePages[] = [];
  for (const name of listDir(dir)) {
    const m = /^hugepages-(\d+)kB$/.exec(name);
    if (m === null) continue;
    const n = int(r.tryRead(`${dir}/${name}/nr_hugepages`));
    out.push({ page_size: Number(m[1]), num_pages: Number.isNaN(n) ? 0 : n });
  }
  return out.sort((a, b) => a.page_size - b.page_size);
}

/** cAdvisor's kind of filesystem for an fstype, or null for one it does not list. */
function fsKind(fsType: string): string | null {
  if (/^(ext[234]|xfs|btrfs|f2fs)$/.test(fsType)) return 'vfs';
  if (fsType === 'zfs') return 'zfs';
  if (fsType === 'nfs' || fsType === 'nfs4') return 'nfs';
  return null;
}

/** Block-device, ZFS and NFS filesystems, one per device, as cAdvisor's machine info lists them. */
export function filesystems(r: FileReader, p: MachinePaths): MachineFilesystem[] {
  const out: MachineFilesystem[] = [];
  const seen = new Set<string>();
  for (const m of parseMounts(r.read(`${p.procPath}/mounts`, true) ?? '')) {
    const kind = fsKind(m.fsType);
    if (kind === null || seen.has(m.device) || (kind === 'vfs' && !m.device.startsWith('/dev/'))) continue;
    seen.add(m.device);
    try {
      const st = statfsSync(p.rootPath + m.mountPoint);
      out.push({ device: m.device, capacity: st.blocks * st.bsize, type: kind, inodes: st.files, has_inodes: true });
    } catch {
      // A mount that cannot be stat'ed is left out of the inventory.
    }
  }
  return out;
}

/** Block devices by `major:minor` (loop, ram and sr devices left out, as cAdvisor does). */
export function diskMap(r: FileReader, p: MachinePaths): Record<string, MachineDisk> {
  const out: Record<string, MachineDisk> = {};
  for (const name of listDir(`${p.sysPath}/block`)) {
    if (name.startsWith('loop') || name.startsWith('ram') || name.startsWith('sr')) continue;
    const dir = `${p.sysPath}/block/${name}`;
    const dev = r.tryRead(`${dir}/dev`);
    if (dev === null) continue;
    const [major, minor] = trimEnd(dev).split(':').map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) continue;
    const sectors = int(r.tryRead(`${dir}/size`));
    const sched = r.tryRead(`${dir}/queue/scheduler`) ?? '';
    const m = /\[([^\]]+)\]/.exec(sched);
    out[`${major}:${minor}`] = {
      name,
      major,
      minor,
      size: Number.isNaN(sectors) ? 0 : sectors * 512,
      scheduler: m?.[1] ?? 'none',
    };
  }
  return out;
}

/** Interfaces other than lo, veth*, docker* and nerdctl*, as cAdvisor lists them. */
export function networkDevices(r: FileReader, p: MachinePaths): MachineNetworkDevice[] {
  const out: MachineNetworkDevice[] = [];
  for (const name of listDir(`${p.sysPath}/class/net`).sort()) {
    if (['lo', 'veth', 'docker', 'nerdctl'].some((prefix) => name.startsWith(prefix))) continue;
    const dir = `${p.sysPath}/class/net/${name}`;
    const address = r.tryRead(`${dir}/address`);
    if (address === null) continue; // bonding_masters and other plain files
    const speed = int(r.tryRead(`${dir}/speed`));
    const mtu = int(r.tryRead(`${dir}/mtu`));
    out.push({
      name,
      mac_address: address.trim(),
      speed: Number.isNaN(speed) ? 0 : speed,
      mtu: Number.isNaN(mtu) ? 0 : mtu,
    });
  }
  return out;
}

/** Online CPU numbers from sysfs, else 0 … logical−1. */
export function onlineCpus(r: FileReader, p: MachinePaths, logical: number): number[] {
  const online = r.tryRead(`${p.sysPath}/devices/system/cpu/online`);
  const list = online === null ? [] : parseCpuList(online);
  if (list.length > 0) return list;
  return Array.from({ length: logical }, (_, i) => i);
}
