/**
 * The routing tree at run time: each node with its inherited options, compiled matchers and key, and
 * Alertmanager's matching walk (depth first, children in order, `continue` to keep scanning siblings).
 */
import { type AlertMatcher, compareMatchers, type ResolvedRoute, type Route, resolveRoute } from '../config/index.ts';
import type { LabelSet } from './alert.ts';
import { compileMatcher, formatMatcherSet, type LabelMatcher, matchAll } from './matchers.ts';

export interface RouteNode {
  readonly receiver: string;
  readonly groupBy: readonly string[];
  readonly groupByAll: boolean;
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly continue: boolean;
  readonly muteTimeIntervals: readonly string[];
  readonly activeTimeIntervals: readonly string[];
  readonly matchers: readonly LabelMatcher[];
  /** Alertmanager's route key: the parent's key, `/`, this node's matchers as a set; `{}` for the root. */
  readonly key: string;
  /** A unique id: the key, plus `/N` (the index among siblings) when two siblings share a key. */
  readonly id: string;
  readonly routes: readonly RouteNode[];
}

/** Builds the tree from the config's root route. Throws when a regex does not compile (config checked it). */
export function buildRoutes(root: Route): RouteNode {
  return build(root, resolveRoute(root), undefined, 0, []);
}

function build(
  r: Route,
  resolved: ResolvedRoute,
  parent: RouteNode | undefined,
  index: number,
  siblings: RouteNode[],
): RouteNode {
  // The key prints `match_re` values anchored, as Alertmanager converts them; `matchers` as written.
  const keyMatchers: AlertMatcher[] = [
    ...Object.entries(r.match).map(([name, value]) => ({ name, type: '=' as const, value })),
    ...Object.entries(r.match_re).map(([name, value]) => ({ name, type: '=~' as const, value: `^(?:${value})$` })),
    ...r.matchers,
  ].sort(compareMatchers);
  const key = parent === undefined ? '{}' : `${parent.key}/${formatMatcherSet(keyMatchers)}`;
  const clash = siblings.some((s) => s.key === key);
  const children: RouteNode[] = [];
  const node: RouteNode = {
    receiver: resolved.receiver,
    groupBy: resolved.group_by,
    groupByAll: resolved.group_by_all,
    groupWaitMs: resolved.group_wait,
    groupIntervalMs: resolved.group_interval,
    repeatIntervalMs: resolved.repeat_interval,
    continue: resolved.continue,
    muteTimeIntervals: resolved.mute_time_intervals,
    activeTimeIntervals: resolved.active_time_intervals,
    matchers: resolved.matchers.map(compileMatcher),
    key,
    id: clash ? `${key}/${index}` : key,
    routes: children,
  };
  r.routes.forEach((child, i) => {
    children.push(build(child, resolved.routes[i] as ResolvedRoute, node, i, children));
  });
  return node;
}

/** The routes an alert with these labels goes to, in tree order (Alertmanager's `Route.Match`). */
export function matchRoutes(node: RouteNode, labels: LabelSet): RouteNode[] {
  if (!matchAll(node.matchers, labels)) return [];
  const all: RouteNode[] = [];
  for (const child of node.routes) {
    const matches = matchRoutes(child, labels);
    all.push(...matches);
    if (matches.length > 0 && !child.continue) break;
  }
  if (all.length === 0) all.push(node);
  return all;
}

/** The labels an alert is grouped by on this route: all of them, or those named in `group_by` it has. */
export function groupLabels(node: RouteNode, labels: LabelSet): LabelSet {
  if (node.groupByAll) return labels;
  const out: Record<string, string> = {};
  for (const name of [...node.groupBy].sort()) {
    const v = labels[name];
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}

/** Every node, depth first. */
export function allRoutes(node: RouteNode, out: RouteNode[] = []): RouteNode[] {
  out.push(node);
  for (const c of node.routes) allRoutes(c, out);
  return out;
}
