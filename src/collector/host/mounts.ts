import { TextCursor } from './cursor.ts';

/** One line of /proc/mounts. */
export interface MountEntry {
  /** The mount source as written (`/dev/vda`, `tmpfs`); not unescaped, as node_exporter leaves it. */
  readonly device: string;
  /** The mount point with `\040` (space) and `\011` (tab) decoded, as node_exporter does. */
  readonly mountPoint: string;
  readonly fsType: string;
  /** Mount options, comma-separated (`rw,relatime`). */
  readonly options: string;
}

/** Decodes the octal escapes node_exporter decodes in mount points: `\040` and `\011`. */
export function unescapeMountPoint(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  return s.replaceAll('\\040', ' ').replaceAll('\\011', '\t');
}

const cur = new TextCursor();

/** Parses /proc/mounts (or /proc/<pid>/mounts); lines with fewer than four fields are skipped. */
export function parseMounts(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  const c = cur.reset(text);
  do {
    const device = c.field();
    const mountPoint = c.field();
    const fsType = c.field();
    const options = c.field();
    if (options === '') continue;
    out.push({ device, mountPoint: unescapeMountPoint(mountPoint), fsType, options });
  } while (c.nextLine());
  return out;
}

/** Whether the comma-separated mount options include `ro`. */
export function isReadOnly(options: string): boolean {
  let start = 0;
  for (;;) {
    const end = options.indexOf(',', start);
    const stop = end < 0 ? options.length : end;
    if (stop - start === 2 && options.startsWith('ro', start)) return true;
    if (end < 0) return false;
    start = end + 1;
  }
}
