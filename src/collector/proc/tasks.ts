/**
 * Task (thread) states and open file descriptors from /proc, the per-process facts a cgroup does not hold.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { errnoOf, type FileReader } from './read-file.ts';

/** Task state counts, as cAdvisor's `container_tasks_state`; filled in place by `countTaskState`. */
export interface TaskStates {
  running: number;
  sleeping: number;
  stopped: number;
  uninterruptible: number;
  /** Always 0 from /proc: see `countTaskState`. */
  iowaiting: number;
}

export function emptyTaskStates(): TaskStates {
  return { running: 0, sleeping: 0, stopped: 0, uninterruptible: 0, iowaiting: 0 };
}

/**
 * The state letter (field 3) of a `/proc/<pid>/stat` or `/proc/<pid>/task/<tid>/stat` file, as a char code, or -1
 * when the task is gone or the file is unreadable (`files.lastError` says why). The comm field may hold spaces and
 * parentheses, so the state is found after the last `)`.
 */
export function readTaskState(files: FileReader, statPath: string): number {
  const n = files.read(statPath);
  if (n < 0) return -1;
  const b = files.bytes();
  let i = n - 1;
  while (i >= 0 && b[i] !== 0x29) i--;
  return i >= 0 && i + 2 < n ? (b[i + 2] as number) : -1;
}

/**
 * Adds one task in state `state` (a char code from `readTaskState`) to `into`, with the kernel's taskstats
 * (CGROUPSTATS, what cAdvisor asks netlink for) classification: R running; S sleeping; D uninterruptible; T and t
 * stopped. I (idle kernel threads), Z, X and others count nowhere. `iowaiting` stays 0: the kernel counts a task
 * there only when its state is none of the four above and it is in io_schedule, which in practice never happens (a
 * task waiting for I/O is in D), and /proc exposes no in_iowait flag, so cAdvisor's series is 0 as well.
 */
export function countTaskState(state: number, into: TaskStates): void {
  switch (state) {
    case 0x52: // R
      into.running++;
      break;
    case 0x53: // S
      into.sleeping++;
      break;
    case 0x44: // D
      into.uninterruptible++;
      break;
    case 0x54: // T
    case 0x74: // t
      into.stopped++;
      break;
  }
}

/** Open file descriptors and how many of them are sockets. */
export interface FdCounts {
  fds: number;
  sockets: number;
}

/**
 * Adds the entries of `<procRoot>/<pid>/fd` to `into` (sockets: links whose target starts with `socket:`). Returns
 * '' on success, else the errno code of the directory read (`ENOENT` when the process is gone); an fd closed
 * between the listing and its readlink is not counted.
 */
export function countFds(procRoot: string, pid: number, into: FdCounts): string {
  const dir = `${procRoot}/${pid}/fd`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    return errnoOf(err);
  }
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(`${dir}/${name}`);
    } catch {
      continue;
    }
    into.fds++;
    if (target.startsWith('socket:')) into.sockets++;
  }
  return '';
}

/** Thread ids of process `pid` from `<procRoot>/<pid>/task`, or null when the process is gone. */
export function listTasks(procRoot: string, pid: number): string[] | null {
  try {
    return readdirSync(`${procRoot}/${pid}/task`);
  } catch {
    return null;
  }
}
