/**
 * Block device names by major:minor, for the `device` label: `DEVNAME` of `/sys/dev/block/<major>:<minor>/uevent`,
 * else the name column of `/proc/partitions`, else `major:minor`. Names are cached and looked up again after
 * `ttlMs` (a device can be replaced by another with the same numbers, e.g. loop devices).
 */
import { decimalAt } from './parse.ts';
import type { FileReader } from './read-file.ts';

export interface BlockDeviceNamesOptions {
  /** @default /sys */
  sysRoot?: string;
  /** @default /proc */
  procRoot?: string;
  /** How long a resolved name is reused, ms. @default 60000 */
  ttlMs?: number;
}

export class BlockDeviceNames {
  private readonly sysRoot: string;
  private readonly procRoot: string;
  private readonly ttlMs: number;
  private readonly cache = new Map<string, { name: string; resolvedMs: number }>();

  constructor(
    private readonly files: FileReader,
    options: BlockDeviceNamesOptions = {},
  ) {
    this.sysRoot = options.sysRoot ?? '/sys';
    this.procRoot = options.procRoot ?? '/proc';
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  /** `/dev/<name>` for the device, or `major:minor` when neither source knows it. */
  name(major: number, minor: number, nowMs: number): string {
    const key = `${major}:${minor}`;
    const hit = this.cache.get(key);
    if (hit !== undefined && nowMs - hit.resolvedMs < this.ttlMs) return hit.name;
    const found = this.fromUevent(key) ?? this.fromPartitions(major, minor);
    const name = found === null ? key : `/dev/${found}`;
    this.cache.set(key, { name, resolvedMs: nowMs });
    return name;
  }

  private fromUevent(key: string): string | null {
    const text = this.files.text(`${this.sysRoot}/dev/block/${key}/uevent`);
    if (text === null) return null;
    const i = text.indexOf('DEVNAME=');
    if (i < 0 || (i > 0 && text.charCodeAt(i - 1) !== 10)) return null;
    const end = text.indexOf('\n', i);
    const name = text.slice(i + 8, end < 0 ? text.length : end).trim();
    return name === '' ? null : name;
  }

  /** `/proc/partitions`: `major minor #blocks name` after a header line. */
  private fromPartitions(major: number, minor: number): string | null {
    const text = this.files.text(`${this.procRoot}/partitions`);
    if (text === null) return null;
    for (const line of text.split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4) continue;
      if (decimalAt(f[0] as string, 0) === major && decimalAt(f[1] as string, 0) === minor) return f[3] as string;
    }
    return null;
  }
}
