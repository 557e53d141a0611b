/**
 * Compensated (Kahan–Babuška–Neumaier) summation as Prometheus does it (`util/kahansum.Inc`): the running sum and
 * its compensation are kept apart and only combined at the end, which keeps sums of many floats exact to the last
 * bit where a naive loop drifts. Shared by the `*_over_time` functions, regression and the aggregations.
 */

/**
 * A running compensated sum. `sum` is the naive running sum, `c` the accumulated compensation; both are public so
 * callers that rescale the pair (avg_over_time's incremental mean) can do so in place. Allocate one per loop, or
 * reuse one after `reset()`: it is not safe to share between interleaved loops.
 */
export class KahanSum {
  sum = 0;
  c = 0;

  /** Starts over from `sum` with compensation `c` (both 0 by default). Returns `this`. */
  reset(sum = 0, c = 0): this {
    this.sum = sum;
    this.c = c;
    return this;
  }

  /**
   * Adds `inc` (upstream's `kahansum.Inc(inc, sum, c)`): when the new sum is infinite the compensation is zeroed,
   * so an overflow to ±Inf is not turned into NaN by a later `sum + c`.
   */
  add(inc: number): void {
    const t = this.sum + inc;
    if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) this.c = 0;
    else if (Math.abs(this.sum) >= Math.abs(inc)) this.c += this.sum - t + inc;
    else this.c += inc - t + this.sum;
    this.sum = t;
  }

  /** The compensated total, `sum + c`, or the bare `sum` when it is infinite (as `sum_over_time`). */
  value(): number {
    const s = this.sum;
    return s === Number.POSITIVE_INFINITY || s === Number.NEGATIVE_INFINITY ? s : s + this.c;
  }
}
