/**
 * A site's rule exclusions from vigil.yml (`gateway.sites[].waf.exclusions`), compiled once per config and
 * applied to each of the site's transactions before phase 1, as CRS's documented run-time exclusions
 * (`ctl:ruleRemoveById`, `ctl:ruleRemoveByTag`, `ctl:ruleRemoveTargetById`, `ctl:ruleRemoveTargetByTag`) would
 * be: the rule set stays shared by every site, only the transaction changes.
 */
import type { GatewayWafExclusionConfig } from '../../config/index.ts';
import { parseIdRanges } from './actions/index.ts';
import { compileTargets } from './seclang/rule-compile.ts';
import type { TxState } from './state.ts';
import { normalizePath } from './transformations/path.ts';
import type { Target } from './variables/select.ts';

export interface SiteExclusion {
  /** Request path prefixes; empty: every request. */
  readonly paths: readonly string[];
  readonly ids: ReadonlyArray<readonly [number, number]>;
  readonly tags: readonly string[];
  /** The variables the rules stop reading; undefined: the rules are removed. */
  readonly targets: readonly Target[] | undefined;
  /** With targets: the loaded rules the id ranges cover, each with the targets. */
  readonly targetsById: ReadonlyMap<number, readonly Target[]>;
}

/**
 * Compiles `gateway.sites[i].waf.exclusions` (`where` names that key) for an engine whose rule ids are
 * `ruleIds`; a message naming the key at fault when one is invalid.
 */
export function compileExclusions(
  list: readonly GatewayWafExclusionConfig[],
  ruleIds: ReadonlySet<number>,
  where: string,
): { exclusions: SiteExclusion[] } | { error: string } {
  const exclusions: SiteExclusion[] = [];
  for (const [i, e] of list.entries()) {
    const ids: Array<[number, number]> = [];
    for (const text of e.rule_ids) {
      const r = parseIdRanges(text);
      if (typeof r === 'string') return { error: `${where}.exclusions[${i}].rule_ids: ${r}` };
      ids.push(...r);
    }
    let targets: Target[] | undefined;
    if (e.targets !== undefined) {
      targets = [];
      for (const [j, text] of e.targets.entries()) {
        const t = compileTargets(text.replace(/^!/, ''));
        if (typeof t === 'string') return { error: `${where}.exclusions[${i}].targets[${j}]: ${t}` };
        targets.push(...t);
      }
    }
    const targetsById = new Map<number, readonly Target[]>();
    if (targets !== undefined) {
      for (const id of ruleIds) if (ids.some(([lo, hi]) => id >= lo && id <= hi)) targetsById.set(id, targets);
    }
    exclusions.push({ paths: e.paths, ids, tags: e.rule_tags, targets, targetsById });
  }
  return { exclusions };
}

/**
 * Whether a path-limited exclusion covers `uri`: its path as sent *and* as the application will resolve it
 * (percent-decoded, `//` collapsed, `.` and `..` segments resolved) start with one of `prefixes`. Both, so that
 * neither `/blog/../admin` nor `/blog%2F..%2Fadmin` passes for `/blog/`: an exclusion lowers protection, and a
 * path the two readings disagree on keeps all of it.
 */
export function pathCovered(uri: string, prefixes: readonly string[]): boolean {
  const q = uri.indexOf('?');
  const raw = q < 0 ? uri : uri.slice(0, q);
  if (!prefixes.some((p) => raw.startsWith(p))) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return false;
  }
  const resolved = normalizePath(decoded).value;
  return prefixes.some((p) => resolved.startsWith(p));
}

/** Applies the exclusions that cover `uri` (path and query) to a new transaction's state. */
export function applyExclusions(s: TxState, exclusions: readonly SiteExclusion[], uri: string): void {
  if (exclusions.length === 0) return;
  for (const e of exclusions) {
    if (e.paths.length !== 0 && !pathCovered(uri, e.paths)) continue;
    if (e.targets === undefined) {
      s.removedIds.push(...(e.ids as Array<[number, number]>));
      s.removedTags.push(...e.tags);
      continue;
    }
    for (const [id, targets] of e.targetsById) {
      const list = s.removedTargetsById.get(id);
      if (list === undefined) s.removedTargetsById.set(id, [...targets]);
      else list.push(...targets);
    }
    for (const tag of e.tags) for (const target of e.targets) s.removedTargetsByTag.push({ tag, target });
  }
}
