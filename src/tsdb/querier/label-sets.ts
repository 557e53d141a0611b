/** Label names and values among a set of series, for queriers answering with matchers. */
import { compareStrings, type Labels } from '../../model/index.ts';

/** The values of `name` among `sets` (absent counts as none), sorted by code point. */
export function valuesOf(sets: Iterable<Labels>, name: string): string[] {
  const values = new Set<string>();
  for (const l of sets) {
    const v = l.get(name);
    if (v !== '') values.add(v);
  }
  return [...values].sort(compareStrings);
}

/** The label names among `sets`, sorted by code point. */
export function namesOf(sets: Iterable<Labels>): string[] {
  const names = new Set<string>();
  for (const l of sets) {
    l.forEach((n) => {
      names.add(n);
    });
  }
  return [...names].sort(compareStrings);
}
