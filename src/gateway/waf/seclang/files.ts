/** Resolves `Include` paths: a `*` or `?` in the last path segment expands to the sorted matching files. */
import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export function expandInclude(pattern: string, relativeTo: string): string[] {
  const full = isAbsolute(pattern) ? pattern : resolve(relativeTo, pattern);
  const name = basename(full);
  if (!/[*?]/.test(name)) return [full];
  const dir = dirname(full);
  const re = new RegExp(
    `^${name
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * The files of a CRS installation in the order CRS documents: the setup file (`crs-setup.conf`, or the
 * shipped `.example` when absent), `plugins/*-config.conf`, `plugins/*-before.conf`, `rules/*.conf`,
 * `plugins/*-after.conf`.
 */
export function crsFiles(dir: string, setupFile?: string): string[] {
  const has = (p: string) => {
    try {
      return readdirSync(dirname(p)).includes(basename(p));
    } catch {
      return false;
    }
  };
  const setup =
    setupFile ?? (has(join(dir, 'crs-setup.conf')) ? join(dir, 'crs-setup.conf') : join(dir, 'crs-setup.conf.example'));
  const glob = (p: string) => {
    try {
      return expandInclude(p, dir);
    } catch {
      return [];
    }
  };
  return [
    setup,
    ...glob('plugins/*-config.conf'),
    ...glob('plugins/*-before.conf'),
    ...glob('rules/*.conf'),
    ...glob('plugins/*-after.conf'),
  ];
}
