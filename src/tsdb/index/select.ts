/**
 * Postings for a set of matchers, with Prometheus' rules: intersect the postings of the matchers that need a
 * value, subtract those of matchers that exclude one; a matcher that matches the empty string also selects
 * series without the label.
 */
import { Matcher } from '../../model/index.ts';
import { intersect, merge, type Postings, without } from './postings.ts';

/** What selecting by matchers needs of an index (the head's or a block's). */
export interface PostingsSource {
  /** Postings of every series. */
  all(): Postings;
  /** Postings of any of `values` of `name`, merged. */
  forValues(name: string, values: readonly string[]): Postings;
  /** Sorted values of `name`. */
  labelValues(name: string): string[];
}

export function postingsForMatchers(ix: PostingsSource, matchers: readonly Matcher[]): Postings {
  const its: Postings[] = [];
  const notIts: Postings[] = [];
  // Matchers that need a value narrow the most; take them first.
  const ordered = [...matchers].sort((a, b) => Number(a.matchesEmpty()) - Number(b.matchesEmpty()));
  for (const m of ordered) {
    const matchesEmpty = m.matchesEmpty();
    const negative = m.type === '!=' || m.type === '!~';
    if (negative && matchesEmpty) {
      // l!="x", l!~"x|y": drop the series whose value matches the opposite matcher.
      notIts.push(postingsForMatcher(ix, inverse(m)));
    } else if (negative || matchesEmpty) {
      // l!="" (must have the label), or l=~"|x" (may lack it): drop series whose value does not match.
      if (negative) its.push(valuesWhere(ix, m.name, (v) => m.matches(v)));
      else notIts.push(valuesWhere(ix, m.name, (v) => !m.matches(v)));
    } else {
      its.push(postingsForMatcher(ix, m));
    }
  }
  const base = its.length > 0 ? intersect(its) : ix.all();
  return notIts.length > 0 ? without(base, merge(notIts)) : base;
}

function postingsForMatcher(ix: PostingsSource, m: Matcher): Postings {
  if (m.type === '=') return ix.forValues(m.name, [m.value]);
  return valuesWhere(ix, m.name, (v) => m.matches(v));
}

function valuesWhere(ix: PostingsSource, name: string, keep: (value: string) => boolean): Postings {
  return ix.forValues(name, ix.labelValues(name).filter(keep));
}

function inverse(m: Matcher): Matcher {
  return Matcher.create(m.type === '!=' ? '=' : '=~', m.name, m.value);
}
