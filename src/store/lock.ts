import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError, DataDirLockedError } from './errors.ts';

/**
 * An exclusive claim on a data directory: the file `lock` holding the owner's pid. A lock whose pid no longer
 * runs (left by a killed process) is taken over. Two processes started in the same instant may both see a
 * stale lock; one then fails on its exclusive create and reports the other as owner.
 */
export class DataDirLock {
  private released = false;

  private constructor(
    readonly dir: string,
    private readonly file: string,
  ) {}

  /** Creates `dir` if needed and claims it. Throws DataDirLockedError or DataDirError. */
  static acquire(dir: string): DataDirLock {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new DataDirError(dir, 'create it', { cause });
    }
    const file = join(dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      let fd: number;
      try {
        fd = openSync(file, 'wx', 0o644);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new DataDirError(dir, 'write its lock file', { cause });
        const owner = readOwner(file);
        if (owner !== undefined && owner !== process.pid && isRunning(owner)) throw new DataDirLockedError(dir, owner);
        try {
          unlinkSync(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
            throw new DataDirError(dir, 'remove a stale lock file', { cause: err });
        }
        continue;
      }
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return new DataDirLock(dir, file);
    }
    throw new DataDirLockedError(dir, readOwner(file) ?? 0);
  }

  /** Gives the directory up. Idempotent; leaves a lock that another process has taken over alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readOwner(this.file) === process.pid) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
