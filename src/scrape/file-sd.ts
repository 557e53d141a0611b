/**
 * `file_sd_configs`, as Prometheus' file discovery: JSON or YAML lists of target groups, matched by a glob in
 * the last path element, re-read every `refresh_interval` and when a watched directory changes. A file that
 * cannot be read or parsed keeps its last good groups (logged and counted); a file that is gone loses them.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import type { FileSdConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { ScrapeClock, Timer } from './clock.ts';
import type { Discoverer, TargetGroup } from './discovery.ts';
import { parseTargetGroups } from './file-sd-parse.ts';
import type { ScrapeStats } from './metrics.ts';
import { DiscoveryError } from './scrape-errors.ts';

/** What a file discoverer needs besides its config section. */
export interface FileDiscovererOptions {
  config: FileSdConfig;
  /** Relative `files` resolve against this directory (the config file's). */
  baseDir: string;
  clock: ScrapeClock;
  logger: Logger;
  stats: ScrapeStats;
  /** Re-read on change notifications from `fs.watch` as well as on the interval. @default true */
  watch?: boolean;
}

/**
 * One `file_sd_configs` entry. Reads run one at a time; an update is sent only when the groups changed. Watch
 * failures (a directory that does not exist yet) are logged and the interval still applies.
 */
export class FileDiscoverer implements Discoverer {
  private readonly patterns: string[];
  private last = new Map<string, TargetGroup[]>();
  private lastSent: string | undefined;
  private onUpdate: ((groups: readonly TargetGroup[]) => void) | undefined;
  private timer: Timer | undefined;
  private watchers: FSWatcher[] = [];
  private running: Promise<void> | undefined;
  private pending: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: FileDiscovererOptions) {
    this.patterns = o.config.files.map((f) => resolve(o.baseDir, f));
  }

  start(onUpdate: (groups: readonly TargetGroup[]) => void): Promise<void> {
    this.onUpdate = onUpdate;
    if (this.o.watch !== false) this.watchDirs();
    this.schedule();
    return this.refresh();
  }

  /** Re-reads every matching file; concurrent calls coalesce into at most one more read. */
  refresh(): Promise<void> {
    if (this.running === undefined) {
      this.running = this.readAll().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    this.pending ??= this.running.then(() => {
      this.pending = undefined;
      return this.refresh();
    });
    return this.pending;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    for (const w of this.watchers) w.close();
    this.watchers = [];
    await this.running;
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimer(async () => {
      if (this.closed) return;
      await this.refresh();
      if (!this.closed) this.schedule();
    }, this.o.config.refresh_interval);
  }

  private watchDirs(): void {
    for (const dir of new Set(this.patterns.map((p) => dirname(p)))) {
      try {
        const w = watch(dir, (_event, name) => {
          if (!this.closed && (name === null || /\.(json|ya?ml)$/i.test(String(name)))) void this.refresh();
        });
        w.on('error', (err) => this.o.logger.error('Error watching directory', { dir, err }));
        this.watchers.push(w);
      } catch (err) {
        this.o.logger.error('Error adding file watch', { dir, err });
      }
    }
  }

  private async readAll(): Promise<void> {
    const files = new Set<string>();
    for (const p of this.patterns) for (const f of await glob(p)) files.add(f);
    const next = new Map<string, TargetGroup[]>();
    for (const file of [...files].sort()) {
      try {
        next.set(file, parseTargetGroups(await readFile(file, 'utf8'), file, extname(file).toLowerCase() === '.json'));
      } catch (err) {
        this.o.stats.fileSdReadErrors++;
        const e = new DiscoveryError('file', file, (err as Error).message, { cause: err });
        this.o.logger.error('Error reading file', { path: file, err: e });
        const prev = this.last.get(file);
        if (prev !== undefined) next.set(file, prev);
      }
    }
    if (this.closed) return;
    this.last = next;
    const groups = [...next.values()].flat();
    const text = JSON.stringify(groups);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.onUpdate?.(groups);
  }
}

/**
 * Go's `filepath.Glob` for a pattern whose meta characters (`*`, `?`, `[…]`) are in the last element only:
 * matching paths, sorted; a pattern without meta characters matches itself if it exists. I/O errors match
 * nothing.
 */
export async function glob(pattern: string): Promise<string[]> {
  const dir = dirname(pattern);
  const base = basename(pattern);
  if (!/[*?[]/.test(base)) {
    try {
      await stat(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const re = globRegExp(base);
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => re.test(n))
      .sort()
      .map((n) => resolve(dir, n));
  } catch {
    return [];
  }
}

function globRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return /$^/;
      out += `[${pattern.slice(i + 1, end)}]`;
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i] as string);
    else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`);
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
