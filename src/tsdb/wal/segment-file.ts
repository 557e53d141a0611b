/** The segment being written: positional writes, fsync, and a close that waits for fsyncs in flight. */
import { closeSync, constants, fdatasync, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WalIoError } from './errors.ts';
import { segmentName } from './segments.ts';

export class SegmentFile {
  private pending = 0;
  private releasing = false;
  private fdOpen = true;
  private onClosed: (() => void)[] = [];

  private constructor(
    readonly index: number,
    readonly path: string,
    private readonly fd: number,
  ) {}

  /** Opens segment `index` of `dir` for writing, creating it if absent; never truncates. */
  static open(dir: string, index: number): SegmentFile {
    const path = join(dir, segmentName(index));
    try {
      return new SegmentFile(index, path, openSync(path, constants.O_WRONLY | constants.O_CREAT, 0o666));
    } catch (cause) {
      throw new WalIoError(path, 'create segment', { cause });
    }
  }

  /** Writes all of `buf[start, end)` at byte `position` of the file. */
  writeAt(buf: Uint8Array, start: number, end: number, position: number): void {
    let off = start;
    try {
      while (off < end) off += writeSync(this.fd, buf, off, end - off, position + off - start);
    } catch (cause) {
      throw new WalIoError(this.path, 'write segment', { cause });
    }
  }

  /** fdatasync(2), blocking the event loop. */
  syncNow(): void {
    try {
      fdatasyncSync(this.fd);
    } catch (cause) {
      throw new WalIoError(this.path, 'fsync segment', { cause });
    }
  }

  /** fdatasync(2) on the thread pool. The descriptor stays open until it completes, even if released meanwhile. */
  sync(): Promise<void> {
    this.pending++;
    return new Promise<void>((resolve, reject) => {
      fdatasync(this.fd, (cause) => {
        this.pending--;
        if (this.releasing && this.pending === 0) this.closeFd();
        if (cause) reject(new WalIoError(this.path, 'fsync segment', { cause }));
        else resolve();
      });
    });
  }

  /** Closes the descriptor once no fsync is in flight. Idempotent. */
  release(): void {
    this.releasing = true;
    if (this.pending === 0) this.closeFd();
  }

  /** Resolves once the descriptor is closed (after `release()`). */
  closed(): Promise<void> {
    if (!this.fdOpen) return Promise.resolve();
    return new Promise((resolve) => this.onClosed.push(resolve));
  }

  private closeFd(): void {
    if (!this.fdOpen) return;
    this.fdOpen = false;
    try {
      closeSync(this.fd);
    } catch {
      // Data reached the kernel with the writes; fsync errors are reported by sync(), not here.
    }
    for (const f of this.onClosed.splice(0)) f();
  }
}

/** fsync(2) of a directory, so that files created or removed in it stay so after a power loss. */
export function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (cause) {
    throw new WalIoError(dir, 'fsync directory', { cause });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** fsync(2) of a file by path; a file deleted meanwhile needs none. */
export function syncPath(path: string): void {
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new WalIoError(path, 'fsync segment', { cause });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
