import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError, DataDirLockedError } from './errors.ts';

/**
 * An exclusive claim on a data directory: the file `lock` holding the owner's pid and, on Linux, that
 * process's start time. A lock whose process no longer runs (left by a killed vigil), or whose pid now
 * belongs to a process started at another time (a reused pid after a reboot), is taken over. Two processes
 * started in the same instant may both see a stale lock; one then fails on its exclusive create and reports
 * the other as owner.
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
        if (owner !== undefined && owner.pid !== process.pid && isRunning(owner))
          throw new DataDirLockedError(dir, owner.pid);
        try {
          unlinkSync(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
            throw new DataDirError(dir, 'remove a stale lock file', { cause: err });
        }
        continue;
      }
      try {
        writeSync(fd, `${process.pid} ${startTime(process.pid) ?? '-'}\n`);
      } finally {
        closeSync(fd);
      }
      return new DataDirLock(dir, file);
    }
    throw new DataDirLockedError(dir, readOwner(file)?.pid ?? 0);
  }

  /** Gives the directory up. Idempotent; leaves a lock that another process has taken over alone. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readOwner(this.file)?.pid === process.pid) {
      try {
        unlinkSync(this.file);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }
}

interface Owner {
  pid: number;
  /** The process's start time in clock ticks since boot (`/proc/PID/stat` field 22), when known. */
  started: string | undefined;
}

function readOwner(file: string): Owner | undefined {
  try {
    const [pidText = '', started] = readFileSync(file, 'utf8').trim().split(' ');
    const pid = Number.parseInt(pidText, 10);
    return Number.isSafeInteger(pid) && pid > 0 ? { pid, started: started === '-' ? undefined : started } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime(owner.pid);
  return owner.started === undefined || now === undefined || now === owner.started;
}

/** A process's start time from /proc (Linux); undefined elsewhere or when it cannot be read. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
