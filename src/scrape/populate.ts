/**
 * Building targets from discovered labels and the job's config, as Prometheus' `PopulateLabels` and
 * `TargetsFromGroup` do.
 */
import type { ResolvedScrapeConfig } from '../config/index.ts';
import { formatDurationMs, Labels, LabelsBuilder, parseDurationMs } from '../model/index.ts';
import type { TargetGroup } from './discovery.ts';
import type { Relabeler } from './relabel.ts';
import { TargetLabelsError } from './scrape-errors.ts';
import { paramLabelPrefix, Target } from './target.ts';

/** The parts of a job that shape its targets. */
export type TargetConfig = Pick<
  ResolvedScrapeConfig,
  'job_name' | 'scrape_interval' | 'scrape_timeout' | 'metrics_path' | 'scheme' | 'params'
>;

/** A target's labels (`labels` null: dropped by relabeling) and its labels before relabeling. */
export type Populated = { labels: Labels | null; discovered: Labels } | { error: string };

/**
 * Prometheus' `PopulateLabels`: adds `job`, `__scrape_interval__`, `__scrape_timeout__`, `__metrics_path__`,
 * `__scheme__` unless discovery set them, and `__param_<name>` for each `params` entry (first value); applies
 * `relabel`; then checks the result and finishes it: a default port from the scheme when the address has none,
 * no `/` in the address, a positive interval and timeout with timeout <= interval, `__meta_*` labels removed,
 * `instance` defaulting to the address, values valid UTF-8. Returns an error string for a target to skip
 * (logged, not listed); never throws.
 */
export function populateLabels(discovered: Labels, cfg: TargetConfig, relabel: Relabeler | null): Populated {
  const lb = new LabelsBuilder(discovered);
  const defaults: Array<[string, string]> = [
    ['job', cfg.job_name],
    ['__scrape_interval__', formatDurationMs(cfg.scrape_interval)],
    ['__scrape_timeout__', formatDurationMs(cfg.scrape_timeout)],
    ['__metrics_path__', cfg.metrics_path],
    ['__scheme__', cfg.scheme],
  ];
  for (const [n, v] of defaults) if (discovered.get(n) === '') lb.set(n, v);
  for (const [k, vs] of Object.entries(cfg.params)) if (vs.length > 0) lb.set(paramLabelPrefix + k, vs[0] as string);
  const pre = lb.labels();
  const lset = relabel === null ? pre : relabel.relabel(pre);
  if (lset === null) return { labels: null, discovered: pre };
  let addr = lset.get('__address__');
  if (addr === '') return { error: 'no address' };

  const out = new LabelsBuilder(lset);
  const scheme = lset.get('__scheme__');
  if (splitHostPort(addr) === null && splitHostPort(`${addr}:1234`) !== null) {
    if (scheme === 'http' || scheme === '') addr = `${addr}:80`;
    else if (scheme === 'https') addr = `${addr}:443`;
    else return { error: `invalid scheme: ${JSON.stringify(cfg.scheme)}` };
    out.set('__address__', addr);
  }
  if (addr.includes('/')) return { error: `${JSON.stringify(addr)} is not a valid hostname` };

  const interval = lset.get('__scrape_interval__');
  const intervalMs = parseDurationMs(interval);
  if (intervalMs === undefined)
    return { error: `error parsing scrape interval: not a valid duration string: ${JSON.stringify(interval)}` };
  if (intervalMs === 0) return { error: 'scrape interval cannot be 0' };
  const timeout = lset.get('__scrape_timeout__');
  const timeoutMs = parseDurationMs(timeout);
  if (timeoutMs === undefined)
    return { error: `error parsing scrape timeout: not a valid duration string: ${JSON.stringify(timeout)}` };
  if (timeoutMs === 0) return { error: 'scrape timeout cannot be 0' };
  if (timeoutMs > intervalMs) {
    return {
      error: `scrape timeout cannot be greater than scrape interval (${JSON.stringify(timeout)} > ${JSON.stringify(interval)})`,
    };
  }

  lset.forEach((n) => {
    if (n.startsWith('__meta_')) out.del(n);
  });
  if (lset.get('instance') === '') out.set('instance', addr);
  const res = out.labels();
  let bad: string | undefined;
  res.forEach((n, v) => {
    if (bad === undefined && loneSurrogate.test(v))
      bad = `invalid label value for ${JSON.stringify(n)}: ${JSON.stringify(v)}`;
  });
  return bad === undefined ? { labels: res, discovered: pre } : { error: bad };
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The targets of a group: active ones, dropped ones (for the API), and the failures to log. */
export interface GroupTargets {
  active: Target[];
  dropped: Labels[];
  failures: TargetLabelsError[];
}

/** Prometheus' `TargetsFromGroup`: each target's labels merged over the group's, then {@link populateLabels}. */
export function targetsFromGroup(group: TargetGroup, cfg: TargetConfig, relabel: Relabeler | null): GroupTargets {
  const out: GroupTargets = { active: [], dropped: [], failures: [] };
  group.targets.forEach((t, i) => {
    const merged = Labels.fromObject({ ...group.labels, ...t });
    const p = populateLabels(merged, cfg, relabel);
    if ('error' in p) out.failures.push(new TargetLabelsError(group.source, i, p.error));
    else if (p.labels === null) out.dropped.push(p.discovered);
    else out.active.push(new Target(p.labels, p.discovered, cfg.params));
  });
  return out;
}

/**
 * Go's `net.SplitHostPort`: `host:port` or `[host]:port` (the port may be empty); null when the text is not
 * of that form (no colon, too many colons, bad brackets).
 */
export function splitHostPort(s: string): { host: string; port: string } | null {
  const i = s.lastIndexOf(':');
  if (i < 0) return null;
  let host: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== i) return null;
    host = s.slice(1, end);
    if (s.slice(end + 1).includes('[') || s.slice(end + 1).includes(']')) return null;
  } else {
    host = s.slice(0, i);
    if (host.includes(':') || host.includes('[') || host.includes(']')) return null;
  }
  return { host, port: s.slice(i + 1) };
}
