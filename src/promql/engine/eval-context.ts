/**
 * State shared by every evaluator of one query (subqueries and step-invariant parts get their own evaluator over
 * their own steps, all drawing on this): the storage, the limits, the annotations and the sample accounting.
 */
import type { Matcher } from '../../model/index.ts';
import type { Querier, Queryable, SelectHints, SeriesSet } from '../../storage/index.ts';
import type { Annotations } from './annotations.ts';
import { QueryCanceledError, QueryTimeoutError, TooManySamplesError } from './errors.ts';

export interface QuerySettings {
  readonly query: string;
  readonly lookbackDeltaMs: number;
  readonly maxSamples: number;
  readonly defaultSubqueryStepMs: number;
  readonly delayedNameRemoval: boolean;
  /** Date.now() past which the query fails with a timeout. */
  readonly deadline: number;
  readonly signal: AbortSignal | undefined;
  /** Start, end and step of the query itself (for `start()`, `end()`, `step()`, `range()`). */
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  readonly queryStepMs: number;
}

export class QueryContext {
  /** Samples currently held by the query. */
  currentSamples = 0;
  peakSamples = 0;
  samplesLoaded = 0;
  private readonly queriers: Querier[] = [];
  private checks = 0;

  constructor(
    readonly settings: QuerySettings,
    readonly queryable: Queryable,
    readonly annotations: Annotations,
  ) {}

  /** Series matching `matchers` with samples in `[mint, maxt]`; the querier is closed with the query. */
  select(mint: number, maxt: number, hints: SelectHints, matchers: readonly Matcher[]): SeriesSet {
    const q = this.queryable.querier(mint, maxt);
    this.queriers.push(q);
    return q.select(false, hints, matchers);
  }

  /** Accounts `n` more samples held; throws TooManySamplesError past the limit. */
  hold(n: number): void {
    this.currentSamples += n;
    if (this.currentSamples > this.settings.maxSamples) throw new TooManySamplesError();
    if (this.currentSamples > this.peakSamples) this.peakSamples = this.currentSamples;
  }

  release(n: number): void {
    this.currentSamples -= n;
  }

  /** Throws when the query timed out or was canceled; cheap enough to call per series or per step. */
  check(stage = 'expression evaluation'): void {
    if ((++this.checks & 63) !== 0) return;
    this.checkNow(stage);
  }

  checkNow(stage = 'expression evaluation'): void {
    if (this.settings.signal?.aborted) throw new QueryCanceledError(stage);
    if (Date.now() > this.settings.deadline) throw new QueryTimeoutError(stage);
  }

  close(): void {
    for (const q of this.queriers) q.close();
    this.queriers.length = 0;
  }
}
