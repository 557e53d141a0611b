/**
 * Processes, threads, file descriptors, sockets and task states of a cgroup: the cgroup lists its processes and
 * threads, /proc tells what each one holds and does.
 */
import { parseIdList } from '../proc/parse.ts';
import { isGone } from '../proc/read-file.ts';
import { countFds, countTaskState, emptyTaskStates, listTasks, readTaskState } from '../proc/tasks.ts';
import type { ContainerRef, ProcessStats } from '../types.ts';
import type { CgroupFiles } from './files.ts';

/** Id arrays reused from pass to pass. */
export interface IdScratch {
  pids: number[];
  tids: number[];
}

/** The directory whose `cgroup.procs` lists the container's processes: cAdvisor's choice, the cpu controller's on v1. */
export function processesDir(ref: ContainerRef): string | undefined {
  const d = ref.dirs;
  if (ref.version === 2) return d.unified;
  return d.cpu ?? d.cpuacct ?? d.pids ?? d.memory ?? d.blkio ?? Object.values(d)[0];
}

/**
 * Processes = lines of `cgroup.procs`; file descriptors and sockets = entries of `/proc/<pid>/fd` of each (links to
 * `socket:[…]`); task states from `/proc/<tid>/stat` of every thread the cgroup lists (v1 `tasks`, v2
 * `cgroup.threads`, else `/proc/<pid>/task`); threads = `pids.current` (the whole subtree, like cAdvisor) when the
 * pids controller is there, else the threads counted. A process that exits during the read is left out (and
 * reported once). Null when the cgroup has no `cgroup.procs`.
 */
export function readProcesses(
  f: CgroupFiles,
  ref: ContainerRef,
  pidsDir: string | undefined,
  procRoot: string,
  scratch: IdScratch,
  /**
   * The figures of an earlier full read: when given, only the cheap counts (cgroup.procs, pids.*) are read and
   * file descriptors, sockets and task states are taken from it (they cost a readlink per fd and a read per task).
   */
  previous: ProcessStats | null = null,
): ProcessStats | null {
  const dir = processesDir(ref);
  if (dir === undefined) return null;
  const procs = f.text(dir, 'cgroup.procs');
  if (procs === null) return null;
  const nPids = parseIdList(procs, scratch.pids);
  if (previous !== null) {
    let threads = previous.threads;
    let threadsMax = previous.threadsMax;
    if (pidsDir !== undefined) {
      threads = f.number(pidsDir, 'pids.current') ?? threads;
      const max = f.number(pidsDir, 'pids.max');
      threadsMax = max === null ? null : Number.isFinite(max) ? max : 0;
    }
    return { ...previous, processes: nPids, threads, threadsMax };
  }
  const fds = { fds: 0, sockets: 0 };
  for (let i = 0; i < nPids; i++) {
    const pid = scratch.pids[i] as number;
    const code = countFds(procRoot, pid, fds);
    if (code === '') continue;
    if (isGone(code)) {
      f.report('proc-pid-gone', `process ${pid} of cgroup ${ref.id} exited during a read; it is left out of that pass`);
    } else {
      f.report(`proc-fd-unreadable:${code}`, `cannot list ${procRoot}/${pid}/fd (${code}): fd counts are too low`);
    }
  }
  const states = emptyTaskStates();
  const threadList = f.text(dir, ref.version === 2 ? 'cgroup.threads' : 'tasks', true);
  let nThreads = 0;
  if (threadList !== null) {
    nThreads = parseIdList(threadList, scratch.tids);
    for (let i = 0; i < nThreads; i++) {
      countTaskState(readTaskState(f.reader, `${procRoot}/${scratch.tids[i]}/stat`), states);
    }
  } else {
    for (let i = 0; i < nPids; i++) {
      const pid = scratch.pids[i] as number;
      const tids = listTasks(procRoot, pid);
      if (tids === null) continue;
      nThreads += tids.length;
      for (const tid of tids) countTaskState(readTaskState(f.reader, `${procRoot}/${pid}/task/${tid}/stat`), states);
    }
  }
  let threads = nThreads;
  let threadsMax: number | null = null;
  if (pidsDir !== undefined) {
    threads = f.number(pidsDir, 'pids.current') ?? nThreads;
    const max = f.number(pidsDir, 'pids.max');
    threadsMax = max === null ? null : Number.isFinite(max) ? max : 0;
  }
  return { processes: nPids, threads, threadsMax, fileDescriptors: fds.fds, sockets: fds.sockets, states };
}
