/** The discoverers of a job, matched against a new config so that unchanged ones keep running. */
import type { ResolvedScrapeConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { ScrapeClock } from './clock.ts';
import { type Discoverer, StaticDiscoverer, staticGroups, type TargetGroup } from './discovery.ts';
import { DockerDiscoverer } from './docker-sd.ts';
import { FileDiscoverer } from './file-sd.ts';
import type { ScrapeStats } from './metrics.ts';
import { configFingerprint } from './scrape-pool.ts';

/** A discoverer and the groups it last delivered; `key` identifies its config. */
export interface Provider {
  readonly key: string;
  readonly discoverer: Discoverer;
  groups: readonly TargetGroup[];
}

/** What discoverers share with their manager. */
export interface DiscoveryDeps {
  clock: ScrapeClock;
  stats: ScrapeStats;
  logger: Logger;
  configDir: string;
  watchFiles: boolean;
  userAgent: string;
}

/** The providers for `c`: `all` in config order, of which `started` are new (not started yet), `stopped` gone. */
export interface ProviderPlan {
  all: Provider[];
  started: Provider[];
  stopped: Provider[];
}

/**
 * Matches the discovery sections of `c` against the running providers: one for all `static_configs`, one per
 * `file_sd_configs` and `docker_sd_configs` entry. A provider whose config is unchanged is kept with its last
 * groups; the others are created (not started) or listed to stop.
 */
export function planProviders(
  current: readonly Provider[],
  c: ResolvedScrapeConfig,
  deps: DiscoveryDeps,
): ProviderPlan {
  const { logger } = deps;
  const common = { clock: deps.clock, stats: deps.stats };
  const wanted: Array<{ key: string; make: () => Discoverer }> = [];
  const seen = new Map<string, number>();
  const add = (id: unknown, make: () => Discoverer) => {
    const base = configFingerprint(id);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    wanted.push({ key: `${base}#${n}`, make });
  };
  if (c.static_configs.length > 0) {
    add(['static', c.static_configs], () => new StaticDiscoverer(staticGroups(c.static_configs)));
  }
  for (const config of c.file_sd_configs) {
    add(
      ['file', config],
      () =>
        new FileDiscoverer({
          ...common,
          config,
          baseDir: deps.configDir,
          logger: logger.child({ discovery: 'file', scrape_pool: c.job_name }),
          watch: deps.watchFiles,
        }),
    );
  }
  for (const config of c.docker_sd_configs) {
    add(
      ['docker', config],
      () =>
        new DockerDiscoverer({
          ...common,
          config,
          logger: logger.child({ discovery: 'docker', scrape_pool: c.job_name }),
          userAgent: deps.userAgent,
        }),
    );
  }
  const old = new Map(current.map((p) => [p.key, p]));
  const plan: ProviderPlan = { all: [], started: [], stopped: [] };
  for (const w of wanted) {
    const kept = old.get(w.key);
    old.delete(w.key);
    if (kept !== undefined) plan.all.push(kept);
    else {
      const p: Provider = { key: w.key, discoverer: w.make(), groups: [] };
      plan.all.push(p);
      plan.started.push(p);
    }
  }
  plan.stopped = [...old.values()];
  return plan;
}

/**
 * Starts `providers`, each update stored in its provider and then passed to `onUpdate`. Resolves when the
 * static and file ones delivered once (Docker may take up to its refresh interval; nothing waits for it).
 */
export async function startProviders(providers: readonly Provider[], onUpdate: (p: Provider) => void): Promise<void> {
  const initial: Array<Promise<void>> = [];
  for (const p of providers) {
    const first = p.discoverer.start((groups) => {
      p.groups = groups;
      onUpdate(p);
    });
    if (!(p.discoverer instanceof DockerDiscoverer)) initial.push(first);
  }
  await Promise.all(initial);
}
