/**
 * Block I/O of a cgroup per device: bytes and operations read and written. v1 takes the first source with device
 * lines, in runc's order (what cAdvisor reads): BFQ, CFQ, throttle recursive, throttle. On kernels without CFQ and
 * with mq-deadline the BFQ files hold only `Total 0`, and the throttle files count nothing until some throttle rule
 * exists on the device: an empty list on v1 does not mean "no I/O".
 */
import type { BlockDeviceNames } from '../proc/block-devices.ts';
import { decimalAt } from '../proc/parse.ts';
import type { BlockDeviceStats } from '../types.ts';
import type { CgroupFiles } from './files.ts';

interface Counts {
  major: number;
  minor: number;
  readBytes: number;
  writeBytes: number;
  reads: number;
  writes: number;
}

/** [bytes file, operations file], in the order tried. */
const v1Sources: readonly (readonly [string, string])[] = [
  ['blkio.bfq.io_service_bytes_recursive', 'blkio.bfq.io_serviced_recursive'],
  ['blkio.io_service_bytes_recursive', 'blkio.io_serviced_recursive'],
  ['blkio.throttle.io_service_bytes_recursive', 'blkio.throttle.io_serviced_recursive'],
  ['blkio.throttle.io_service_bytes', 'blkio.throttle.io_serviced'],
];

function entry(byDevice: Map<string, Counts>, key: string): Counts {
  let c = byDevice.get(key);
  if (c === undefined) {
    const colon = key.indexOf(':');
    c = {
      major: decimalAt(key, 0),
      minor: decimalAt(key, colon + 1),
      readBytes: 0,
      writeBytes: 0,
      reads: 0,
      writes: 0,
    };
    byDevice.set(key, c);
  }
  return c;
}

/**
 * Adds the `Read` and `Write` lines (`<major>:<minor> <Op> <value>`) of a v1 blkio file to `byDevice`; other ops
 * (Sync, Async, Discard, Total) and the closing `Total <n>` line are ignored. Returns the number of device lines.
 */
export function addBlkioV1(text: string, byDevice: Map<string, Counts>, what: 'bytes' | 'ops'): number {
  let lines = 0;
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length !== 3 || !(f[0] as string).includes(':')) continue;
    lines++;
    const value = decimalAt(f[2] as string, 0);
    if (Number.isNaN(value)) continue;
    const op = f[1];
    if (op !== 'Read' && op !== 'Write') continue;
    const c = entry(byDevice, f[0] as string);
    if (what === 'bytes') {
      if (op === 'Read') c.readBytes = value;
      else c.writeBytes = value;
    } else if (op === 'Read') c.reads = value;
    else c.writes = value;
  }
  return lines;
}

/**
 * Adds the lines of a v2 `io.stat` (`<major>:<minor> rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…`) to
 * `byDevice`; a device line with no keys (seen for ramdisks at the root) is skipped.
 */
export function addIoStatV2(text: string, byDevice: Map<string, Counts>): void {
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    if (f.length < 2 || !(f[0] as string).includes(':')) continue;
    const c = entry(byDevice, f[0] as string);
    for (let i = 1; i < f.length; i++) {
      const kv = f[i] as string;
      const eq = kv.indexOf('=');
      if (eq < 0) continue;
      const value = decimalAt(kv, eq + 1);
      if (Number.isNaN(value)) continue;
      switch (kv.slice(0, eq)) {
        case 'rbytes':
          c.readBytes = value;
          break;
        case 'wbytes':
          c.writeBytes = value;
          break;
        case 'rios':
          c.reads = value;
          break;
        case 'wios':
          c.writes = value;
          break;
      }
    }
  }
}

function named(byDevice: Map<string, Counts>, names: BlockDeviceNames, nowMs: number): BlockDeviceStats[] {
  const out: BlockDeviceStats[] = [];
  for (const c of byDevice.values()) out.push({ ...c, device: names.name(c.major, c.minor, nowMs) });
  out.sort((a, b) => a.major - b.major || a.minor - b.minor);
  return out;
}

/** v1 blkio, from the first source whose bytes file has device lines; [] without the blkio controller. */
export function readBlkioV1(
  f: CgroupFiles,
  dir: string | undefined,
  names: BlockDeviceNames,
  nowMs: number,
): BlockDeviceStats[] {
  if (dir === undefined) return [];
  const byDevice = new Map<string, Counts>();
  for (const [bytesFile, opsFile] of v1Sources) {
    const bytes = f.text(dir, bytesFile, true);
    if (bytes === null || addBlkioV1(bytes, byDevice, 'bytes') === 0) continue;
    const ops = f.text(dir, opsFile, true);
    if (ops !== null) addBlkioV1(ops, byDevice, 'ops');
    break;
  }
  return named(byDevice, names, nowMs);
}

/** v2 `io.stat`; [] when the io controller is not enabled for the cgroup. */
export function readIoV2(
  f: CgroupFiles,
  dir: string,
  enabled: boolean,
  names: BlockDeviceNames,
  nowMs: number,
): BlockDeviceStats[] {
  if (!enabled) return [];
  const text = f.text(dir, 'io.stat');
  if (text === null) return [];
  const byDevice = new Map<string, Counts>();
  addIoStatV2(text, byDevice);
  return named(byDevice, names, nowMs);
}
