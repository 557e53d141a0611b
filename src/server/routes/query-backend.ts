/** What the Prometheus query and TSDB admin APIs ask of the application. Implemented in app.ts over the Tsdb. */
import type { Matcher } from '../../model/index.ts';
import type { Engine } from '../../promql/index.ts';
import type { Queryable } from '../../storage/index.ts';

export interface QueryBackend {
  /** The engine queries run on; it may be replaced on reload (read it per request). */
  readonly engine: Engine;
  /** The storage to read, or undefined while it is not open (the API answers 503). */
  queryable(): Queryable | undefined;
  /** Deletes the samples in `[mintMs, maxtMs]` (inclusive) of the series matching every matcher. */
  deleteSeries(matchers: readonly Matcher[], mintMs: number, maxtMs: number): Promise<void>;
  /** Rewrites storage without the deleted samples. */
  cleanTombstones(): Promise<void>;
  /** Cardinality of the head, the `limit` largest entries of each list; undefined while storage is not open. */
  tsdbStatus(limit: number): TsdbStatus | undefined;
}

/** One entry of a cardinality list. */
export interface TsdbStat {
  readonly name: string;
  readonly value: number;
}

/** `/api/v1/status/tsdb` in upstream's shape. Lists are sorted by value, largest first. */
export interface TsdbStatus {
  readonly headStats: {
    readonly numSeries: number;
    readonly numLabelPairs: number;
    readonly chunkCount: number;
    /** Unix ms; +Infinity while the head is empty (upstream's math.MaxInt64). */
    readonly minTime: number;
    /** Unix ms; -Infinity while the head is empty (upstream's math.MinInt64). */
    readonly maxTime: number;
  };
  readonly seriesCountByMetricName: readonly TsdbStat[];
  readonly labelValueCountByLabelName: readonly TsdbStat[];
  readonly memoryInBytesByLabelName: readonly TsdbStat[];
  readonly seriesCountByLabelValuePair: readonly TsdbStat[];
}
