/** Walking a cgroup hierarchy: every cgroup directory below a root, `*.mount` cgroups left out. */
import { type Dirent, readdirSync } from 'node:fs';

/**
 * Whether a cgroup directory name is left out of discovery with its subtree: systemd's `*.mount` units never hold
 * containers (cAdvisor skips them too).
 */
export function isIgnoredCgroup(name: string): boolean {
  return name.endsWith('.mount');
}

/**
 * Calls `visit(rel, abs)` for the hierarchy root (`rel` = '/') and every cgroup directory below it, parents before
 * children, siblings in name order. A directory that vanishes or cannot be listed during the walk ends that branch
 * silently (the next scan sees the tree as it is then).
 */
export function walkCgroups(rootDir: string, visit: (rel: string, abs: string) => void): void {
  visit('/', rootDir);
  walkBelow(rootDir, '', visit);
}

function walkBelow(abs: string, rel: string, visit: (rel: string, abs: string) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (!e.isDirectory() || isIgnoredCgroup(e.name)) continue;
    const childAbs = `${abs}/${e.name}`;
    const childRel = `${rel}/${e.name}`;
    visit(childRel, childAbs);
    walkBelow(childAbs, childRel, visit);
  }
}
