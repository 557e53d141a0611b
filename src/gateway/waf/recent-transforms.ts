/**
 * Transformation results kept across an engine's transactions: transformations are pure, and short values
 * (header values, names, small arguments) repeat across requests. Bounded: at most `maxEntries` results,
 * all dropped when full. Shared by the engine's transactions (one at a time: JavaScript runs them in turn).
 */
export class RecentTransforms {
  private readonly byChain = new Map<string, Map<string, string>>();
  private entries = 0;

  /**
   * @param maxLength the longest value kept, in characters
   * @param maxEntries the most results kept
   */
  constructor(
    readonly maxLength = 256,
    private readonly maxEntries = 16384,
  ) {}

  /** The result of transformation chain `chain` (`Rule.transformKey`) on `value`, if kept. */
  get(chain: string, value: string): string | undefined {
    return this.byChain.get(chain)?.get(value);
  }

  set(chain: string, value: string, result: string): void {
    if (value.length > this.maxLength) return;
    if (this.entries >= this.maxEntries) {
      this.byChain.clear();
      this.entries = 0;
    }
    let m = this.byChain.get(chain);
    if (m === undefined) {
      m = new Map();
      this.byChain.set(chain, m);
    }
    m.set(value, result);
    this.entries++;
  }
}
