/**
 * Alertmanager's template data helpers: KV (a label or annotation set) and Pairs (its sorted name/value pairs),
 * with the methods Alertmanager's templates call: `.SortedPairs`, `.Names`, `.Values`, `.Remove`.
 */

/** One label or annotation; prints like Go's struct: `{alertname HighLatency}`. */
export class Pair {
  constructor(
    readonly Name: string,
    readonly Value: string,
  ) {}
}

/** A list of pairs in the order built (KV.SortedPairs: `alertname` first, then by name). */
export class Pairs extends Array<Pair> {
  /** The names, in the list's order. */
  Names(): string[] {
    return this.map((p) => p.Name);
  }

  /** The values, in the list's order. */
  Values(): string[] {
    return this.map((p) => p.Value);
  }

  /** `name=value` pairs joined by `, `, as Go prints Pairs. */
  String(): string {
    return this.map((p) => `${p.Name}=${p.Value}`).join(', ');
  }

  static override get [Symbol.species]() {
    return Array;
  }
}

/**
 * A label or annotation set as Alertmanager templates see it (Go `map[string]string` with methods). Templates read a
 * value with field syntax (`.CommonLabels.severity`; a missing name reads as `""`), range over it in name order, and
 * call its methods; methods win over a label of the same name, as in Go. Immutable.
 */
export class KV {
  readonly #entries: Map<string, string>;

  constructor(entries: Readonly<Record<string, string>> | ReadonlyMap<string, string> = {}) {
    this.#entries = new Map(entries instanceof Map ? entries : Object.entries(entries));
  }

  /** The value of `name`, or undefined when absent. */
  get(name: string): string | undefined {
    return this.#entries.get(name);
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Names sorted by code unit (Go's byte order for ASCII names). */
  keys(): string[] {
    return [...this.#entries.keys()].sort(compare);
  }

  /** Pairs with `alertname` first, then the other names in sorted order (Alertmanager's order). */
  SortedPairs(): Pairs {
    const names = this.keys();
    const at = names.indexOf('alertname');
    if (at > 0) {
      names.splice(at, 1);
      names.unshift('alertname');
    }
    const out = new Pairs();
    for (const n of names) out.push(new Pair(n, this.#entries.get(n) as string));
    return out;
  }

  /** Names in SortedPairs order. */
  Names(): string[] {
    return this.SortedPairs().Names();
  }

  /** Values in SortedPairs order. */
  Values(): string[] {
    return this.SortedPairs().Values();
  }

  /** A copy without the given names. */
  Remove(names: readonly string[] | string): KV {
    const drop = new Set(typeof names === 'string' ? [names] : names);
    return new KV(new Map([...this.#entries].filter(([k]) => !drop.has(k))));
  }

  /** `name=value, …` in SortedPairs order, as Go prints a KV. */
  String(): string {
    return this.SortedPairs().String();
  }

  toString(): string {
    return this.String();
  }

  /** The plain object (for JSON payloads). */
  toJSON(): Record<string, string> {
    return Object.fromEntries(this.#entries);
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
