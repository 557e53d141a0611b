/**
 * Transformation results kept across an engine's transactions: transformations are pure, and short values
 * (header values, names, small arguments) repeat across requests. Bounded: at most `maxEntries` results,
 * all dropped when full. Shared by the engine's transactions (one at a time: JavaScript runs them in turn).
 * `T` is the result: the transformed value, or for `multiMatch` every intermediate value (not to be modified).
 */
export class RecentTransforms<T = string> {
  /** By chain number (small: the engine's distinct chains). */
  private byChain: Array<Map<string, T> | undefined> = [];
  private entries = 0;

  /**
   * @param maxLength the longest value kept, in characters
   * @param maxEntries the most results kept
   */
  constructor(
    readonly maxLength = 256,
    private readonly maxEntries = 16384,
  ) {}

  /** The result of transformation chain `chain` (`Rule.transformId`) on `value`, if kept. */
  get(chain: number, value: string): T | undefined {
    return this.byChain[chain]?.get(value);
  }

  set(chain: number, value: string, result: T): void {
    if (value.length > this.maxLength) return;
    if (this.entries >= this.maxEntries) {
      this.byChain = [];
      this.entries = 0;
    }
    let m = this.byChain[chain];
    if (m === undefined) {
      m = new Map();
      while (this.byChain.length < chain) this.byChain.push(undefined);
      this.byChain[chain] = m;
    }
    m.set(value, result);
    this.entries++;
  }
}
