/** Machine-wide facts the root container `/` and the container spec need: total memory and boot time. */
import { flatKeyed } from './parse.ts';
import type { FileReader } from './read-file.ts';

/** `/proc/meminfo` `MemTotal` and `MemFree` in bytes, null when unreadable. */
export function readMeminfo(files: FileReader, procRoot: string): { totalBytes: number; freeBytes: number } | null {
  const text = files.text(`${procRoot}/meminfo`);
  if (text === null) return null;
  const total = flatKeyed(text, 'MemTotal:');
  const free = flatKeyed(text, 'MemFree:');
  return total === null || free === null ? null : { totalBytes: total * 1024, freeBytes: free * 1024 };
}

/** Boot time (`/proc/stat` `btime`), Unix ms, null when unreadable. */
export function readBootTimeMs(files: FileReader, procRoot: string): number | null {
  const text = files.text(`${procRoot}/stat`);
  const btime = text === null ? null : flatKeyed(text, 'btime');
  return btime === null ? null : btime * 1000;
}
