/** Alertmanager's routing tree: `route` as written, and {@link resolveRoute} to fill in what a node inherits. */
import {
  bool,
  duration,
  emptyRecord,
  labelName,
  labelNamePattern,
  list,
  type ObjectValue,
  object,
  optional,
  type Report,
  record,
  regex,
  type Schema,
  str,
  withDefault,
} from '../../schema.ts';
import { compareMatchers, type Matcher, matchers } from './matchers.ts';
import { q } from './shared.ts';

const routeOwnFields = {
  receiver: optional(str()),
  group_by: optional(list(str())),
  continue: withDefault(bool(), false),
  matchers: withDefault(matchers, () => []),
  match: withDefault(record(str(), labelName()), emptyRecord<string>()),
  match_re: withDefault(record(regex(), labelName()), emptyRecord<string>()),
  group_wait: optional(duration()),
  group_interval: optional(duration()),
  repeat_interval: optional(duration()),
  mute_time_intervals: withDefault(list(str()), () => []),
  active_time_intervals: withDefault(list(str()), () => []),
};

/**
 * A routing node as written. Unset `receiver`, `group_by` and the three intervals inherit from the parent:
 * see {@link resolveRoute}. `match` values are literal, `match_re` values unanchored regexes.
 */
export type Route = ObjectValue<typeof routeOwnFields> & { readonly routes: readonly Route[] };

function checkRoute(r: Route, report: Report): void {
  const groupBy = r.group_by ?? [];
  const seen = new Set<string>();
  groupBy.forEach((l, i) => {
    if (l === '...') return;
    if (!labelNamePattern.test(l)) report(['group_by', i], `invalid label name ${q(l)} in group_by list`);
    else if (seen.has(l)) report(['group_by', i], `duplicated label ${q(l)} in group_by`);
    seen.add(l);
  });
  if (groupBy.includes('...') && groupBy.some((l) => l !== '...')) {
    report('group_by', 'cannot have wildcard group_by (`...`) and other labels at the same time');
  }
  if (r.group_interval === 0) report('group_interval', 'group_interval cannot be zero');
  if (r.repeat_interval === 0) report('repeat_interval', 'repeat_interval cannot be zero');
}

const routeRef: Schema<Route> = {
  expected: 'a mapping',
  decode: (node, ctx, path) => route.decode(node, ctx, path),
  encode: (value) => route.encode(value),
};

/** A routing tree node with its children (`routes`, in order). */
export const route: Schema<Route> = object(
  { ...routeOwnFields, routes: withDefault(list(routeRef), () => []) },
  { check: checkRoute },
);

/** A route with inherited options filled in and every kind of matcher merged. Durations in milliseconds. */
export type ResolvedRoute = {
  readonly receiver: string;
  /** Label names to group by; empty with `group_by_all` false means one group for the route. */
  readonly group_by: readonly string[];
  /** `group_by: ['...']`: group by every label. */
  readonly group_by_all: boolean;
  readonly group_wait: number;
  readonly group_interval: number;
  readonly repeat_interval: number;
  /** `match`, `match_re` and `matchers` together, sorted with {@link compareMatchers}. */
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  /** Not inherited: a child sets its own. */
  readonly mute_time_intervals: readonly string[];
  readonly active_time_intervals: readonly string[];
  readonly routes: readonly ResolvedRoute[];
};

/** Alertmanager's root defaults: group_wait 30s, group_interval 5m, repeat_interval 4h, no grouping. */
export const routeDefaults = { group_wait: 30_000, group_interval: 5 * 60_000, repeat_interval: 4 * 3_600_000 };

/**
 * Resolves a routing tree as Alertmanager does: a child starts from its parent's receiver, grouping and
 * intervals and overrides what it sets; the root starts from {@link routeDefaults}. Pure; no validation.
 */
export function resolveRoute(r: Route, parent?: ResolvedRoute): ResolvedRoute {
  // As in Alertmanager, only a group_by naming labels replaces the parent's; `['...']` switches to all
  // labels; an absent or empty group_by inherits.
  const labels = (r.group_by ?? []).filter((l) => l !== '...');
  const all = r.group_by?.includes('...') ?? false;
  const own: Matcher[] = [
    ...Object.entries(r.match).map(([name, value]) => ({ name, type: '=' as const, value })),
    ...Object.entries(r.match_re).map(([name, value]) => ({ name, type: '=~' as const, value })),
    ...r.matchers,
  ];
  const node: Omit<ResolvedRoute, 'routes'> = {
    receiver: r.receiver || parent?.receiver || '',
    group_by: labels.length > 0 ? labels : (parent?.group_by ?? []),
    group_by_all: labels.length > 0 ? false : all || (parent?.group_by_all ?? false),
    group_wait: r.group_wait ?? parent?.group_wait ?? routeDefaults.group_wait,
    group_interval: r.group_interval ?? parent?.group_interval ?? routeDefaults.group_interval,
    repeat_interval: r.repeat_interval ?? parent?.repeat_interval ?? routeDefaults.repeat_interval,
    matchers: own.sort(compareMatchers),
    continue: r.continue,
    mute_time_intervals: r.mute_time_intervals,
    active_time_intervals: r.active_time_intervals,
  };
  const self: ResolvedRoute = { ...node, routes: [] };
  return { ...node, routes: r.routes.map((child) => resolveRoute(child, self)) };
}
