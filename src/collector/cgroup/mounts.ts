/**
 * Which cgroup hierarchies a host has and where: from `/proc/self/mountinfo` (v1 controller mounts, comounted ones
 * such as `cpu,cpuacct` included, and the cgroup2 mount), else, for a directory that is not a mount (a fixture
 * tree), from its layout.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';

/** The v1 controllers cAdvisor reads (its `supportedSubsystems`, without v2's `io`). */
export const v1Controllers: ReadonlySet<string> = new Set([
  'cpu',
  'cpuacct',
  'cpuset',
  'memory',
  'blkio',
  'pids',
  'hugetlb',
  'devices',
  'perf_event',
]);

/** One mounted hierarchy. */
export interface Hierarchy {
  /** Absolute directory of its root cgroup. */
  readonly dir: string;
  /** Keys it fills in `ContainerRef.dirs`: its v1 controllers, or `unified`. */
  readonly keys: readonly string[];
  /** Whether a cgroup found here becomes a ContainerRef (false: the empty v2 tree of a v1 hybrid host). */
  readonly discovers: boolean;
}

export interface CgroupLayout {
  /** 1 when v1 controllers are mounted (the unified tree, if any, is then only an extra `unified` dir); else 2. */
  readonly version: 1 | 2;
  /** Discovering hierarchies first. Empty when no cgroup filesystem is found under the root. */
  readonly hierarchies: readonly Hierarchy[];
}

interface CgroupMount {
  mountPoint: string;
  fsType: 'cgroup' | 'cgroup2';
  superOptions: string[];
}

/** `\040`-style octal escapes of mountinfo paths. */
function unescapeOctal(s: string): string {
  return s.includes('\\')
    ? s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))
    : s;
}

/** The cgroup and cgroup2 mounts of a mountinfo text, in file order. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    const fsType = right[0];
    if ((fsType !== 'cgroup' && fsType !== 'cgroup2') || left.length < 5) continue;
    out.push({
      mountPoint: unescapeOctal(left[4] as string),
      fsType,
      superOptions: (right[2] ?? '').split(','),
    });
  }
  return out;
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/** The layout of the cgroup mounts at or under `root`, from a mountinfo text. */
export function layoutFromMounts(mounts: readonly CgroupMount[], root: string): CgroupLayout {
  const v1: Hierarchy[] = [];
  const claimed = new Set<string>();
  let unified: string | null = null;
  for (const m of mounts) {
    if (!isUnder(m.mountPoint, root)) continue;
    if (m.fsType === 'cgroup2') {
      unified ??= m.mountPoint;
      continue;
    }
    const keys = m.superOptions.filter((o) => v1Controllers.has(o) && !claimed.has(o));
    if (keys.length === 0) continue;
    for (const k of keys) claimed.add(k);
    v1.push({ dir: m.mountPoint, keys, discovers: true });
  }
  return combine(v1, unified);
}

function combine(v1: Hierarchy[], unified: string | null): CgroupLayout {
  if (v1.length > 0) {
    const hierarchies = unified === null ? v1 : [...v1, { dir: unified, keys: ['unified'], discovers: false }];
    return { version: 1, hierarchies };
  }
  return { version: 2, hierarchies: unified === null ? [] : [{ dir: unified, keys: ['unified'], discovers: true }] };
}

/**
 * The layout of a directory tree that is not mounted (a fixture): `root/cgroup.controllers` makes it a v2 root;
 * else each subdirectory holding `cgroup.procs` is a v1 hierarchy named by its controllers (`cpu,cpuacct`), and a
 * subdirectory holding `cgroup.controllers` is the unified one. Symlinked names (`cpu -> cpu,cpuacct`) resolve to
 * one hierarchy.
 */
export function layoutFromTree(root: string): CgroupLayout {
  if (existsSync(`${root}/cgroup.controllers`)) {
    return { version: 2, hierarchies: [{ dir: root, keys: ['unified'], discovers: true }] };
  }
  let names: string[];
  try {
    names = readdirSync(root).sort();
  } catch {
    return { version: 2, hierarchies: [] };
  }
  const v1: Hierarchy[] = [];
  const claimed = new Set<string>();
  const seenDirs = new Set<string>();
  let unified: string | null = null;
  for (const name of names) {
    const dir = `${root}/${name}`;
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      continue;
    }
    if (existsSync(`${dir}/cgroup.controllers`)) {
      unified ??= dir;
      continue;
    }
    if (seenDirs.has(real) || !existsSync(`${dir}/cgroup.procs`)) continue;
    const base = real.slice(real.lastIndexOf('/') + 1);
    const keys = base.split(',').filter((c) => v1Controllers.has(c) && !claimed.has(c));
    if (keys.length === 0) continue;
    seenDirs.add(real);
    for (const k of keys) claimed.add(k);
    v1.push({ dir: real, keys, discovers: true });
  }
  return combine(v1, unified);
}
