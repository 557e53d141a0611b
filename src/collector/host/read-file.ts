import { closeSync, openSync, readSync } from 'node:fs';
import type { ProblemLog } from './problems.ts';

/** The error code of a failed read (`ENOENT`, `EACCES`, …), or the message when there is none. */
export function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String((err as Error | null)?.message ?? err);
}

/** How many files a reader keeps open at most; reads beyond it open and close. */
const maxKeptOpen = 256;

/**
 * Reads small kernel files (/proc, /sys) whole into one reused buffer, without the fstat and fresh Buffer per file of
 * readFileSync. Files read every pass can be kept open (`keep`) and re-read from offset 0 with pread: procfs and sysfs
 * regenerate their text on a read at offset 0, and the open is most of a read's cost (on our machine /proc/net/netstat
 * 82 → 41 µs, a sysfs attribute 9.4 → 1.5 µs). Not reentrant: one reader per collector; `close()` releases the files.
 */
export class FileReader {
  private buf: Buffer = Buffer.allocUnsafe(64 * 1024);
  private readonly open = new Map<string, number>();
  /** The error code of the last failed read, '' after a successful one. */
  lastError = '';
  /** Where `read` reports failures; set per pass by the collector that owns the reader. */
  problems: ProblemLog;

  constructor(problems: ProblemLog) {
    this.problems = problems;
  }

  /**
   * The file's text, or null when it cannot be read; the failure is reported once per path to the ProblemLog.
   * `utf8` decodes as UTF-8 (mount points, os-release); else as Latin-1, enough for numeric files and faster.
   * `keep` keeps the file open for the next read of the same path.
   */
  read(path: string, utf8 = false, keep = false): string | null {
    const text = this.tryRead(path, utf8, keep);
    if (text === null)
      this.problems.once(`host:read:${path}`, `host collector: cannot read ${path}: ${this.lastError}`);
    return text;
  }

  /** As `read`, without reporting: for files whose absence is normal (a down interface's `carrier`). */
  tryRead(path: string, utf8 = false, keep = false): string | null {
    const kept = keep ? this.open.get(path) : undefined;
    if (kept !== undefined) {
      const text = this.readFd(kept, utf8);
      if (text !== null) return text;
      this.forget(path); // gone (an interface removed) or broken: open afresh below
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      this.lastError = errorCode(err);
      return null;
    }
    const text = this.readFd(fd, utf8);
    if (text !== null && keep && this.open.size < maxKeptOpen) this.open.set(path, fd);
    else closeSync(fd);
    return text;
  }

  /** Closes the kept file of `path`, if any. */
  forget(path: string): void {
    const fd = this.open.get(path);
    if (fd === undefined) return;
    this.open.delete(path);
    try {
      closeSync(fd);
    } catch {
      // Already unusable; nothing to release.
    }
  }

  /** Closes every kept file. Idempotent; the reader stays usable (files are reopened on demand). */
  close(): void {
    for (const path of [...this.open.keys()]) this.forget(path);
  }

  /** Reads `fd` from offset 0 to EOF. */
  private readFd(fd: number, utf8: boolean): string | null {
    try {
      let n = 0;
      for (;;) {
        if (n === this.buf.length) {
          const bigger = Buffer.allocUnsafe(this.buf.length * 2);
          this.buf.copy(bigger, 0, 0, n);
          this.buf = bigger;
        }
        const got = readSync(fd, this.buf, n, this.buf.length - n, n);
        if (got === 0) break;
        n += got;
      }
      this.lastError = '';
      return this.buf.toString(utf8 ? 'utf8' : 'latin1', 0, n);
    } catch (err) {
      this.lastError = errorCode(err);
      return null;
    }
  }
}

/** `text` without trailing whitespace (sysfs values end with a newline). */
export function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 10 && c !== 32 && c !== 9 && c !== 13 && c !== 0) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}
