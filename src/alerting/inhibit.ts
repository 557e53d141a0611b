/**
 * Inhibition: while a source alert fires, alerts matching a rule's target side with the same values of the
 * rule's `equal` labels are muted. Source alerts are indexed per rule by their `equal` values, so a check is
 * a map lookup, not a scan of every alert.
 */
import type { InhibitRule } from '../config/index.ts';
import { type Alert, type LabelSet, resolvedAt } from './alert.ts';
import { compileMatcher, type LabelMatcher, matchAll } from './matchers.ts';

interface CompiledRule {
  source: LabelMatcher[];
  target: LabelMatcher[];
  equal: string[];
  /** equal-values key → fingerprint → source alert. */
  sources: Map<string, Map<string, Alert>>;
}

function sideMatchers(
  matchers: InhibitRule['source_matchers'],
  match: Readonly<Record<string, string>>,
  matchRe: Readonly<Record<string, string>>,
): LabelMatcher[] {
  return [
    ...Object.entries(match).map(([name, value]) => compileMatcher({ name, type: '=', value })),
    ...Object.entries(matchRe).map(([name, value]) => compileMatcher({ name, type: '=~', value })),
    ...matchers.map(compileMatcher),
  ];
}

export class Inhibitor {
  private readonly rules: CompiledRule[];

  constructor(
    rules: readonly InhibitRule[],
    private readonly now: () => number,
  ) {
    this.rules = rules.map((r) => ({
      source: sideMatchers(r.source_matchers, r.source_match, r.source_match_re),
      target: sideMatchers(r.target_matchers, r.target_match, r.target_match_re),
      equal: [...r.equal].sort(),
      sources: new Map(),
    }));
  }

  /** Takes a stored alert (new, updated or resolved). */
  observe(a: Alert): void {
    for (const r of this.rules) {
      if (!matchAll(r.source, a.labels)) continue;
      const k = equalKey(r.equal, a.labels);
      let bucket = r.sources.get(k);
      if (bucket === undefined) {
        bucket = new Map();
        r.sources.set(k, bucket);
      }
      bucket.set(a.fingerprint, a);
    }
  }

  /** Forgets an alert the store deleted. */
  forget(a: Alert): void {
    for (const r of this.rules) {
      const k = equalKey(r.equal, a.labels);
      const bucket = r.sources.get(k);
      if (bucket?.delete(a.fingerprint) && bucket.size === 0) r.sources.delete(k);
    }
  }

  /** The fingerprint of a firing alert that inhibits these labels, or undefined. */
  inhibitedBy(labels: LabelSet): string | undefined {
    const now = this.now();
    for (const r of this.rules) {
      if (!matchAll(r.target, labels)) continue;
      const bucket = r.sources.get(equalKey(r.equal, labels));
      if (bucket === undefined) continue;
      // An alert matching both sides is not inhibited by another alert that also matches both sides.
      const twoSided = matchAll(r.source, labels);
      for (const s of bucket.values()) {
        if (resolvedAt(s, now)) continue;
        if (twoSided && matchAll(r.target, s.labels)) continue;
        return s.fingerprint;
      }
    }
    return undefined;
  }
}

/** The `equal` labels' values (missing = empty), joined unambiguously. */
function equalKey(equal: readonly string[], labels: LabelSet): string {
  if (equal.length === 0) return '';
  return JSON.stringify(equal.map((n) => labels[n] ?? ''));
}
