/**
 * Notices cgroups created and removed, with one inotify watch (`fs.watch`) per cgroup directory, as cAdvisor does.
 * On cgroupfs (v1 and v2, checked on kernel 6.18) `mkdir` and `rmdir` of a child cgroup arrive in the parent's watch
 * as a `rename` event naming the child; writes to control files arrive as `change` and are ignored; the removal of a
 * watched directory itself is not reported to its own watch, only to its parent's. A directory that cannot be
 * watched (inotify limits: `fs.inotify.max_user_watches`, `max_user_instances`) is logged once and left to the
 * caller's periodic rescan.
 */
import { type Dirent, existsSync, type FSWatcher, readdirSync, watch } from 'node:fs';
import type { ProblemLog } from '../problems.ts';
import { errnoOf } from '../proc/read-file.ts';
import { isIgnoredCgroup, walkCgroups } from './walk.ts';

export class CgroupWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending: NodeJS.Immediate | null = null;
  private closed = false;

  /**
   * @param onChange called (at most once per event-loop turn, batching the events of that turn) after a cgroup was
   *   created or removed under a watched directory; never after `close()`.
   */
  constructor(
    private readonly onChange: () => void,
    private readonly problems: ProblemLog | undefined,
  ) {}

  /** Watches `rootDir` and every cgroup directory below it. */
  addTree(rootDir: string): void {
    if (this.closed) return;
    walkCgroups(rootDir, (_rel, abs) => this.watchDir(abs));
  }

  /** Number of directories watched. */
  get size(): number {
    return this.watchers.size;
  }

  /** Stops every watch; idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.pending !== null) clearImmediate(this.pending);
    this.pending = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private watchDir(dir: string): void {
    if (this.watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (event, filename) => this.onEvent(dir, event, filename));
    } catch (err) {
      this.problems?.once(
        `cgroup-watch:${errnoOf(err)}`,
        `cannot watch cgroup directory ${dir} (${errnoOf(err)}): new and removed cgroups are found by the periodic rescan only`,
      );
      return;
    }
    w.on('error', () => this.unwatchTree(dir));
    this.watchers.set(dir, w);
  }

  private onEvent(dir: string, event: string, filename: string | Buffer | null): void {
    if (this.closed || event !== 'rename') return;
    if (!existsSync(dir)) {
      this.unwatchTree(dir);
    } else if (typeof filename === 'string' && filename !== '') {
      const child = `${dir}/${filename}`;
      if (existsSync(child)) {
        if (!isIgnoredCgroup(filename)) this.addTree(child);
      } else {
        this.unwatchTree(child);
      }
    } else {
      this.resync(dir);
    }
    this.schedule();
  }

  /** Without a file name: watch every child directory not yet watched, drop watches of vanished ones. */
  private resync(dir: string): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      this.unwatchTree(dir);
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && !isIgnoredCgroup(e.name)) this.addTree(`${dir}/${e.name}`);
    }
    for (const watched of [...this.watchers.keys()]) {
      if (watched.startsWith(`${dir}/`) && !existsSync(watched)) this.unwatchTree(watched);
    }
  }

  private unwatchTree(dir: string): void {
    const prefix = `${dir}/`;
    for (const [path, w] of this.watchers) {
      if (path === dir || path.startsWith(prefix)) {
        w.close();
        this.watchers.delete(path);
      }
    }
  }

  private schedule(): void {
    if (this.pending !== null || this.closed) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      if (!this.closed) this.onChange();
    });
  }
}
