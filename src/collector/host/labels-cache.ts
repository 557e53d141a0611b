import { Labels } from '../../model/index.ts';

/**
 * Labels objects reused across collections for label sets that stay the same (a device, a CPU and mode), so that a
 * pass allocates no Labels for series it saw last time. Generational: `sweep()` at the end of a pass drops the sets
 * that pass did not use, so devices that come and go (veth pairs) do not grow the cache.
 */
export class LabelsCache {
  private cur = new Map<string, Labels>();
  private prev = new Map<string, Labels>();

  /** The cached Labels for `key`, built by `build()` when neither this pass nor the last one used it. */
  get(key: string, build: () => Labels): Labels {
    let l = this.cur.get(key);
    if (l !== undefined) return l;
    l = this.prev.get(key) ?? build();
    this.cur.set(key, l);
    return l;
  }

  /** `{name="value"}`, cached by value: a cache used through `one` serves a single label name. */
  one(name: string, value: string): Labels {
    let l = this.cur.get(value);
    if (l !== undefined) return l;
    l = this.prev.get(value) ?? (value === '' ? Labels.empty : Labels.fromSortedFlat([name, value]));
    this.cur.set(value, l);
    return l;
  }

  /** Ends a pass: sets not used since the previous sweep are dropped. */
  sweep(): void {
    const p = this.prev;
    p.clear();
    this.prev = this.cur;
    this.cur = p;
  }
}
