/**
 * Which series `info()` treats as info series, and fetching them: the second argument's matchers, made to select
 * info metrics only, plus regex matchers on the identifying labels of the base series.
 */
import { Matcher, metricNameLabel } from '../../model/index.ts';
import type { Expr, VectorSelector } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import type { InfoTimeShift } from './eval-info-time.ts';
import { evalVectorSelector } from './eval-selectors.ts';
import type { Evaluator } from './evaluator.ts';
import type { Matrix } from './value.ts';

/** The labels an info series is joined on; a base series joins on those of them it has. */
export const identifyingLabels: readonly string[] = ['instance', 'job'];

const targetInfo = 'target_info';
const infoNamePattern = '.+_info';

/** The second argument of `info()`, split by role. */
export interface InfoSelector {
  /**
   * The `__name__` matchers an info series satisfies, always with a positive one: the given ones, plus
   * `__name__=~".+_info"` when all given ones are negative, or `__name__="target_info"` when none is given. A base
   * series whose name satisfies all of them is an info series itself and is not enriched.
   */
  readonly nameMatchers: readonly Matcher[];
  /** The other matchers: they select info series and name the data labels to copy (all of them when empty). */
  readonly dataMatchers: readonly Matcher[];
  /** Whether every data matcher accepts the empty string (a base series without a match then stays, unenriched). */
  readonly dataMatchersAcceptEmpty: boolean;
}

/** Splits the label selector of `info()` (undefined when the call has one argument). */
export function infoSelector(arg: Expr | undefined): InfoSelector {
  let sel = arg;
  while (sel !== undefined && (sel.type === 'ParenExpr' || sel.type === 'StepInvariantExpr')) sel = sel.expr;
  if (sel !== undefined && sel.type !== 'VectorSelector') {
    throw new QueryExecutionError(`info: expected a label selector as second argument, got ${sel.type}`);
  }
  const given = sel?.labelMatchers ?? [];
  const nameMatchers = given.filter((m) => m.name === metricNameLabel);
  const dataMatchers = given.filter((m) => m.name !== metricNameLabel);
  if (!nameMatchers.some((m) => m.type === '=' || m.type === '=~')) {
    nameMatchers.push(
      nameMatchers.length > 0
        ? Matcher.create('=~', metricNameLabel, infoNamePattern)
        : Matcher.create('=', metricNameLabel, targetInfo),
    );
  }
  return { nameMatchers, dataMatchers, dataMatchersAcceptEmpty: dataMatchers.every((m) => m.matchesEmpty()) };
}

/** Whether a series named `name` is an info series under `sel`. */
export function isInfoName(sel: InfoSelector, name: string): boolean {
  for (const m of sel.nameMatchers) if (!m.matches(name)) return false;
  return true;
}

/**
 * The info series that may join with `base` (skipping `ignored` ones), read at every step's reference time with
 * the lookback delta. Each series has a point at `refTime(t)` for the steps where it has a sample there; the point's
 * value is the time of that sample, Unix seconds (the newest sample wins when two info series conflict). Empty when
 * no base series has an identifying label. The caller releases the points.
 */
export function fetchInfoSeries(
  ev: Evaluator,
  sel: InfoSelector,
  base: Matrix,
  ignored: readonly boolean[],
  shift: InfoTimeShift,
): Matrix {
  const values = new Map<string, Set<string>>();
  base.forEach((s, i) => {
    if (ignored[i]) return;
    for (const name of identifyingLabels) {
      const v = s.metric.get(name);
      if (v === '') continue;
      let set = values.get(name);
      if (set === undefined) {
        set = new Set();
        values.set(name, set);
      }
      set.add(v);
    }
  });
  if (values.size === 0) return [];
  const matchers = [...sel.nameMatchers, ...sel.dataMatchers];
  for (const [name, set] of values) {
    matchers.push(Matcher.create('=~', name, [...set].sort().map(quoteMeta).join('|')));
  }
  const selector: VectorSelector = {
    type: 'VectorSelector',
    name: '',
    labelMatchers: matchers,
    originalOffsetMs: 0,
    originalOffsetExpr: null,
    timestampMs: null,
    startOrEnd: null,
    anchored: false,
    smoothed: false,
    bypassEmptyMatcherCheck: true,
    posRange: { start: 0, end: 0 },
  };
  const steps =
    shift.atMs === null
      ? ev.child(ev.startMs - shift.offsetMs, ev.endMs - shift.offsetMs, ev.intervalMs)
      : ev.child(shift.atMs - shift.offsetMs, shift.atMs - shift.offsetMs, 1);
  return evalVectorSelector(steps, selector, 'timestamp');
}

/** `s` with the metacharacters of RE2 syntax escaped (Go's `regexp.QuoteMeta`). */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
