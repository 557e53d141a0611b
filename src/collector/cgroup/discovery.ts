/**
 * Container discovery: every cgroup of every mounted hierarchy, one ContainerRef per cgroup path with the
 * directories of that path in each controller merged, and a watcher that notices cgroups created and removed.
 */
import { readFileSync } from 'node:fs';
import type { ProblemLog } from '../problems.ts';
import { errnoOf } from '../proc/read-file.ts';
import type { ContainerRef } from '../types.ts';
import { type CgroupLayout, layoutFromMounts, layoutFromTree, parseCgroupMounts } from './mounts.ts';
import { walkCgroups } from './walk.ts';
import { CgroupWatcher } from './watch.ts';

export interface CgroupDiscoveryOptions {
  /** Where the cgroup hierarchies are mounted: the v2 root, or the parent of the v1 controller mounts. @default /sys/fs/cgroup */
  root?: string;
  /**
   * Mount table read to find the hierarchies under `root`. When it lists none there (a fixture tree), the layout is
   * read from the directories under `root` instead. @default /proc/self/mountinfo
   */
  mountinfoPath?: string;
  /** Where a hierarchy that cannot be listed or watched is reported (once). */
  problems?: ProblemLog;
}

export class CgroupDiscovery {
  private readonly root: string;
  private readonly mountinfoPath: string;
  private readonly problems: ProblemLog | undefined;
  private watcher: CgroupWatcher | null = null;

  constructor(options: CgroupDiscoveryOptions = {}) {
    const root = options.root ?? '/sys/fs/cgroup';
    this.root = root.length > 1 && root.endsWith('/') ? root.slice(0, -1) : root;
    this.mountinfoPath = options.mountinfoPath ?? '/proc/self/mountinfo';
    this.problems = options.problems;
  }

  /**
   * The hierarchies under the root, read afresh (a controller mounted since the last call is found). On a v1 or
   * hybrid host the v1 controller mounts; on a pure v2 host the unified tree.
   */
  layout(): CgroupLayout {
    let mountinfo: string | null = null;
    try {
      mountinfo = readFileSync(this.mountinfoPath, 'latin1');
    } catch (err) {
      this.problems?.once('cgroup-mountinfo', `cannot read ${this.mountinfoPath} (${errnoOf(err)})`);
    }
    const fromMounts = mountinfo === null ? null : layoutFromMounts(parseCgroupMounts(mountinfo), this.root);
    return fromMounts !== null && fromMounts.hierarchies.length > 0 ? fromMounts : layoutFromTree(this.root);
  }

  /**
   * Every cgroup path of the discovering hierarchies, the root `/` first, then in path order. A path's ref has the
   * directory of each controller holding it; on a v1 hybrid host the unified tree adds a `unified` dir to paths it
   * also holds, but a path found only there is not a container. Fresh objects on every call; `*.mount` cgroups and
   * their subtrees are left out. Never throws: a hierarchy that cannot be listed contributes nothing.
   */
  scan(): ContainerRef[] {
    const layout = this.layout();
    const byId = new Map<string, Record<string, string>>();
    for (const h of layout.hierarchies) {
      walkCgroups(h.dir, (rel, abs) => {
        let dirs = byId.get(rel);
        if (dirs === undefined) {
          if (!h.discovers) return;
          dirs = {};
          byId.set(rel, dirs);
        }
        for (const k of h.keys) dirs[k] = abs;
      });
    }
    const ids = [...byId.keys()].sort((a, b) => (a === '/' ? -1 : b === '/' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    return ids.map((id) => ({ id, version: layout.version, dirs: byId.get(id) as Record<string, string> }));
  }

  /**
   * Starts watching every cgroup directory of the discovering hierarchies; `onChange` is called (batched per
   * event-loop turn) when a cgroup is created or removed, and the caller rescans. A second call replaces the first
   * watcher. Directories that cannot be watched are reported to `problems` once and left to the periodic rescan.
   */
  watch(onChange: () => void): void {
    this.watcher?.close();
    const watcher = new CgroupWatcher(onChange, this.problems);
    for (const h of this.layout().hierarchies) if (h.discovers) watcher.addTree(h.dir);
    this.watcher = watcher;
  }

  /** Directories currently watched (0 before `watch()` and after `close()`). */
  watchedDirectories(): number {
    return this.watcher?.size ?? 0;
  }

  /** Stops the watcher; idempotent. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
