/**
 * Test helpers: real cgroups made for a test (as root), processes started inside them, fixture trees rebuilt from
 * the recorded dumps in ../shared/containers/samples, and a ProblemLog that remembers what it was told.
 */
import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProblemLog } from '../problems.ts';
import type { ContainerRef } from '../types.ts';
import { CgroupDiscovery } from './discovery.ts';
import type { CgroupLayout } from './mounts.ts';

/** Why real-cgroup tests cannot run here, or null when they can (root, a cgroup filesystem mounted). */
export function realCgroupsUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to create cgroups';
  if (new CgroupDiscovery().layout().hierarchies.length === 0) return 'no cgroup filesystem under /sys/fs/cgroup';
  return null;
}

/** Records every `once` call (dedupes like the collector's ProblemLog) for assertions. */
export class RecordingProblems implements ProblemLog {
  readonly calls: { key: string; message: string }[] = [];
  readonly logged = new Map<string, string>();
  once(key: string, message: string): void {
    this.calls.push({ key, message });
    if (!this.logged.has(key)) this.logged.set(key, message);
  }
}

/** v1 controllers a test cgroup is made in (cpuset left out: it needs cpus and mems set before a task can join). */
const testControllers = ['cpu', 'cpuacct', 'memory', 'pids', 'blkio'];

/** Test cgroups not destroyed yet, removed synchronously if the test process exits without `destroy`. */
const live = new Set<TestCgroup>();
let exitHook = false;

/** Best effort at exit (a crashed test): kill the children, then move stray tasks out and rmdir, for up to 2 s. */
function destroyAllSync(): void {
  for (const cg of live) for (const c of cg.children) c.kill('SIGKILL');
  const dirs = [...live].flatMap((cg) => cg.madeDirs()).sort((a, b) => b.length - a.length);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 0; attempt < 100 && dirs.some((d) => existsSync(d)); attempt++) {
    for (const dir of dirs) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch {}
    }
    Atomics.wait(pause, 0, 0, 20);
  }
}

/** A cgroup made for a test, in every v1 controller above (or under the v2 root), removed by `destroy`. */
export class TestCgroup {
  readonly children: ChildProcess[] = [];
  private readonly made: string[] = [];

  private constructor(
    readonly id: string,
    /** Directories by controller key, as discovery reports them. */
    readonly dirs: Record<string, string>,
    readonly layout: CgroupLayout,
  ) {}

  /** Makes `/vigil-test-<random>` (or `<parent.id>/<name>` under a parent test cgroup). */
  static create(parent?: TestCgroup, name = `vigil-test-${randomBytes(4).toString('hex')}`): TestCgroup {
    const layout = parent?.layout ?? new CgroupDiscovery().layout();
    const dirs: Record<string, string> = {};
    const id = `${parent?.id ?? ''}/${name}`;
    const cg = new TestCgroup(id, dirs, layout);
    for (const h of layout.hierarchies) {
      if (!h.discovers) continue;
      const keys = layout.version === 2 ? h.keys : h.keys.filter((k) => testControllers.includes(k));
      if (keys.length === 0) continue;
      const dir = `${h.dir}${id}`;
      mkdirSync(dir);
      cg.made.push(dir);
      for (const k of keys) dirs[k] = dir;
    }
    live.add(cg);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', destroyAllSync);
    }
    return cg;
  }

  /** The directories this cgroup made, one per hierarchy. */
  madeDirs(): readonly string[] {
    return this.made;
  }

  /** The ContainerRef discovery gives for this cgroup. */
  ref(): ContainerRef {
    const ref = new CgroupDiscovery().scan().find((r) => r.id === this.id);
    if (ref === undefined) throw new Error(`discovery did not find ${this.id}`);
    return ref;
  }

  /** Writes `value` to `<controller dir>/<file>`. */
  write(controller: string, file: string, value: string): void {
    const dir = this.dirs[controller];
    if (dir === undefined) throw new Error(`test cgroup has no ${controller} controller`);
    writeFileSync(`${dir}/${file}`, value);
  }

  /**
   * Starts `command args` inside this cgroup: a shell moves itself into every controller's `cgroup.procs`, then
   * execs the command (so the pid is the command's, and all of its memory is charged here).
   */
  spawn(command: string, args: readonly string[], stdio: StdioOptions = ['ignore', 'ignore', 'inherit']): ChildProcess {
    const enter = 'for d in $VIGIL_TEST_CGROUP_DIRS; do echo $$ > "$d/cgroup.procs" || exit 97; done; exec "$@"';
    const child = spawn('/bin/sh', ['-c', enter, 'sh', command, ...args], {
      stdio,
      env: { ...process.env, VIGIL_TEST_CGROUP_DIRS: [...new Set(Object.values(this.dirs))].join(' ') },
    });
    this.children.push(child);
    return child;
  }

  /** Kills the children, waits for them, moves stray tasks to the parent and removes the cgroup dirs. */
  async destroy(): Promise<void> {
    live.delete(this);
    await Promise.all(this.children.map((c) => killAndWait(c)));
    for (const dir of [...this.made].reverse()) {
      const parent = dir.slice(0, dir.lastIndexOf('/'));
      for (let attempt = 0; attempt < 50 && existsSync(dir); attempt++) {
        try {
          for (const pid of readFileSync(`${dir}/cgroup.procs`, 'latin1').split('\n')) {
            if (pid !== '') writeFileSync(`${parent}/cgroup.procs`, pid);
          }
          rmdirSync(dir);
        } catch {
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    }
  }
}

/** SIGKILLs `child` (and SIGCONTs it, in case it was stopped) and resolves when it has exited. */
export function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
    child.kill('SIGCONT');
  });
}

/** Resolves with the first line `child` writes to stdout that satisfies `match` (rejects on exit or timeout). */
export function waitForLine(
  child: ChildProcess,
  match: (line: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no matching line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      let nl = buffered.indexOf('\n');
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (match(line)) {
          finish(null, line);
          return;
        }
        nl = buffered.indexOf('\n');
      }
    };
    const onExit = (code: number | null, signal: string | null): void =>
      finish(new Error(`child exited (${code ?? signal}) before a matching line`));
    function finish(err: Error | null, line?: string): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err === null) resolve(line as string);
      else reject(err);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Rebuilds the `t0` files of a recorded dump under a fresh temporary directory and returns it. v2 dump lines are
 * `--- t0 <root|cgroup path> <file>` (files go to `<tmp>/<path>/<file>`); v1 dump lines are `--- t0 <container>
 * <controller|unified|proc> <file>` (files go to `<tmp>/<controller>/docker/<container>/<file>`, `proc` skipped).
 */
export function fixtureTree(dumpPath: string, kind: 'v1' | 'v2'): string {
  const root = mkdtempSync(join(tmpdir(), `vigil-cgroup-${kind}-`));
  const text = readFileSync(dumpPath, 'utf8');
  let current: string | null = null;
  let body: string[] = [];
  const flush = (): void => {
    if (current !== null) writeFileSync(current, body.length === 0 ? '' : `${body.join('\n')}\n`);
    current = null;
    body = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('=== ') || line.startsWith('# ')) {
      flush();
      continue;
    }
    if (!line.startsWith('--- ')) {
      if (current !== null) body.push(line);
      continue;
    }
    flush();
    const f = line.split(' ');
    if (f[1] !== 't0') continue;
    let dir: string;
    if (kind === 'v2') {
      dir = f[2] === 'root' ? root : `${root}/${f[2]}`;
    } else {
      if (f[3] === 'proc') continue;
      dir = `${root}/${f[3]}/docker/${f[2]}`;
    }
    mkdirSync(dir, { recursive: true });
    current = `${dir}/${f[kind === 'v2' ? 3 : 4]}`;
  }
  flush();
  if (kind === 'v1') {
    // Hierarchy roots need cgroup.procs to be recognised as such.
    for (const c of ['cpu', 'cpuacct', 'memory', 'blkio', 'pids', 'cpuset']) {
      if (existsSync(`${root}/${c}`)) writeFileSync(`${root}/${c}/cgroup.procs`, '');
    }
    if (existsSync(`${root}/unified`)) writeFileSync(`${root}/unified/cgroup.controllers`, '');
  }
  return root;
}
