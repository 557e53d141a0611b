/**
 * Alertmanager's label matchers at run time: `=`, `!=`, `=~`, `!~` over a label set, a missing label reading
 * as the empty string; regexes are RE2, anchored as `^(?:re)$` (without Prometheus' dot-matches-newline).
 */
import type { AlertMatcher } from '../config/index.ts';
import { compileAnchored } from '../model/index.ts';
import type { LabelSet } from './alert.ts';

/** A compiled matcher; `name`, `type` and `value` as written. */
export interface LabelMatcher extends AlertMatcher {
  matches(labels: LabelSet): boolean;
  /** Whether the matcher accepts a label value (`''` for a missing label). */
  matchesValue(value: string): boolean;
}

/** Compiles a matcher; throws Error with the regex problem when a regex does not compile. */
export function compileMatcher(m: AlertMatcher): LabelMatcher {
  let test: (v: string) => boolean;
  switch (m.type) {
    case '=':
      test = (v) => v === m.value;
      break;
    case '!=':
      test = (v) => v !== m.value;
      break;
    default: {
      const re = compileAnchored(m.value, { dotAll: false });
      test = m.type === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
    }
  }
  return {
    name: m.name,
    type: m.type,
    value: m.value,
    matchesValue: test,
    matches: (labels) => test(labels[m.name] ?? ''),
  };
}

/** Whether every matcher accepts the label set (true for an empty list). */
export function matchAll(ms: readonly LabelMatcher[], labels: LabelSet): boolean {
  for (const m of ms) if (!m.matches(labels)) return false;
  return true;
}

/** Quotes a value as Alertmanager prints matcher values: `"` and `\` escaped, newlines as `\n`. */
export function quoteValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;
}

/** `{a="b",c=~"d"}`: Alertmanager's printed form of a matcher list (used in route keys). */
export function formatMatcherSet(ms: readonly AlertMatcher[]): string {
  return `{${ms.map((m) => `${m.name}${m.type}${quoteValue(m.value)}`).join(',')}}`;
}

/** `{a="b", c="d"}`: Prometheus' printed form of a label set (keys sorted), as in group keys. */
export function formatLabelSet(labels: LabelSet): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(', ')}}`;
}
