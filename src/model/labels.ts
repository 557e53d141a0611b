/**
 * Label sets: the identity of a series. Immutable, sorted by name, without empty values (a label with an
 * empty value is the same as no label, as in Prometheus). `__name__` holds the metric name.
 */

export const metricNameLabel = '__name__';

/** A separator that cannot occur in valid UTF-8 text, used to build canonical keys. */
const sep = '\xff';

export class Labels {
  private cachedKey: string | undefined;

  /** `flat` is name0, value0, name1, value1, … sorted by name, unique names, no empty values. */
  private constructor(private readonly flat: readonly string[]) {}

  static readonly empty: Labels = new Labels([]);

  /** Labels from name/value pairs in any order; empty values are dropped; a repeated name keeps the last. */
  static fromPairs(pairs: Iterable<readonly [string, string]>): Labels {
    const map = new Map<string, string>();
    for (const [n, v] of pairs) map.set(n, v);
    return Labels.fromMap(map);
  }

  static fromObject(record: Readonly<Record<string, string>>): Labels {
    return Labels.fromPairs(Object.entries(record));
  }

  static fromMap(map: ReadonlyMap<string, string>): Labels {
    const names = [...map.keys()].filter((n) => map.get(n) !== '').sort(compareStrings);
    const flat: string[] = new Array(names.length * 2);
    for (let i = 0; i < names.length; i++) {
      flat[2 * i] = names[i] as string;
      flat[2 * i + 1] = map.get(names[i] as string) as string;
    }
    return new Labels(flat);
  }

  /** Labels from a flat name/value array that is already sorted, unique and without empty values. Unchecked. */
  static fromSortedFlat(flat: readonly string[]): Labels {
    return new Labels(flat);
  }

  /** Number of labels. */
  get size(): number {
    return this.flat.length / 2;
  }

  name(i: number): string {
    return this.flat[2 * i] as string;
  }

  value(i: number): string {
    return this.flat[2 * i + 1] as string;
  }

  /** The value of `name`, or '' when absent. */
  get(name: string): string {
    // Binary search: label sets are small, but this is called per series in matchers and PromQL.
    let lo = 0;
    let hi = this.flat.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const n = this.flat[2 * mid] as string;
      if (n === name) return this.flat[2 * mid + 1] as string;
      if (n < name) lo = mid + 1;
      else hi = mid - 1;
    }
    return '';
  }

  has(name: string): boolean {
    return this.get(name) !== '';
  }

  /** The metric name, or ''. */
  metricName(): string {
    return this.get(metricNameLabel);
  }

  forEach(fn: (name: string, value: string) => void): void {
    for (let i = 0; i < this.flat.length; i += 2) fn(this.flat[i] as string, this.flat[i + 1] as string);
  }

  /** A string equal for equal label sets and different otherwise; cached. Use it as a Map key. */
  key(): string {
    if (this.cachedKey === undefined) this.cachedKey = this.flat.join(sep);
    return this.cachedKey;
  }

  equals(other: Labels): boolean {
    if (this === other) return true;
    if (this.flat.length !== other.flat.length) return false;
    for (let i = 0; i < this.flat.length; i++) if (this.flat[i] !== other.flat[i]) return false;
    return true;
  }

  /** The same labels without the named ones. */
  without(...names: string[]): Labels {
    const drop = new Set(names);
    return new Labels(this.flat.filter((_, i) => !drop.has(this.flat[i - (i % 2)] as string)));
  }

  /** Only the named labels. */
  keepOnly(...names: string[]): Labels {
    const keep = new Set(names);
    return new Labels(this.flat.filter((_, i) => keep.has(this.flat[i - (i % 2)] as string)));
  }

  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    this.forEach((n, v) => {
      out[n] = v;
    });
    return out;
  }

  /** Prometheus' notation: `{__name__="up", job="node"}`. */
  toString(): string {
    const parts: string[] = [];
    this.forEach((n, v) => {
      parts.push(`${n}=${JSON.stringify(v)}`);
    });
    return `{${parts.join(', ')}}`;
  }
}

/** Orders label sets as Prometheus' labels.Compare: by names and values pairwise, then by length. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.size, b.size);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(a.name(i), b.name(i)) || compareStrings(a.value(i), b.value(i));
    if (c !== 0) return c;
  }
  return a.size - b.size;
}

/**
 * Compares strings by code point, which is the byte order of their UTF-8 encodings: the order Go (and so
 * Prometheus' on-disk index) sorts strings in. JavaScript's `<` compares UTF-16 code units, which differs for
 * characters above U+FFFF against U+E000–U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

/** Builds label sets by changing a base set. */
export class LabelsBuilder {
  private readonly map = new Map<string, string>();

  constructor(base: Labels = Labels.empty) {
    base.forEach((n, v) => {
      this.map.set(n, v);
    });
  }

  /** Sets a label; an empty value deletes it. */
  set(name: string, value: string): this {
    if (value === '') this.map.delete(name);
    else this.map.set(name, value);
    return this;
  }

  del(name: string): this {
    this.map.delete(name);
    return this;
  }

  get(name: string): string {
    return this.map.get(name) ?? '';
  }

  labels(): Labels {
    return Labels.fromMap(this.map);
  }
}
