/**
 * The TSDB's statistics and admin endpoints, as upstream's `api.go`: `GET /api/v1/status/tsdb` for any user;
 * `POST|PUT /api/v1/admin/tsdb/delete_series` and `/clean_tombstones` for admins, answering 204.
 */
import type { Matcher } from '../../model/index.ts';
import { parseMetricSelector } from '../../promql/index.ts';
import type { Route } from '../router.ts';
import { apiRoute } from './query-api.ts';
import type { QueryBackend, TsdbStatus } from './query-backend.ts';
import { ApiError } from './query-errors.ts';
import { RawJson } from './query-json.ts';
import { invalidParam, maxTimeMs, minTimeMs, timeParam } from './query-params.ts';

export function adminTsdbRoutes(backend: QueryBackend | undefined): Route[] {
  const need = (): QueryBackend => {
    if (backend === undefined) throw new ApiError('unavailable', 'the time-series database is not running');
    return backend;
  };
  const deleteSeries = apiRoute('POST', '/api/v1/admin/tsdb/delete_series', 'admin', async (params) => {
    const selectors = params.all('match[]');
    if (selectors.length === 0) throw ApiError.badData('no match[] parameter provided');
    const start = timeParam(params, 'start', minTimeMs);
    const end = timeParam(params, 'end', maxTimeMs);
    const b = need();
    for (const s of selectors) {
      let matchers: Matcher[];
      try {
        matchers = parseMetricSelector(s);
      } catch (err) {
        throw invalidParam('match[]', (err as Error).message);
      }
      try {
        await b.deleteSeries(matchers, start, end);
      } catch (err) {
        throw new ApiError('internal', (err as Error).message, { cause: err });
      }
    }
    return { noContent: true };
  });
  const cleanTombstones = apiRoute('POST', '/api/v1/admin/tsdb/clean_tombstones', 'admin', async () => {
    try {
      await need().cleanTombstones();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('internal', (err as Error).message, { cause: err });
    }
    return { noContent: true };
  });
  return [
    deleteSeries,
    { ...deleteSeries, method: 'PUT' },
    cleanTombstones,
    { ...cleanTombstones, method: 'PUT' },
    apiRoute('GET', '/api/v1/status/tsdb', 'user', (params) => {
      let limit = 10;
      const s = params.get('limit');
      if (s !== '') {
        limit = /^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN;
        if (!(limit >= 1) || !Number.isSafeInteger(limit)) throw ApiError.badData('limit must be a positive number');
      }
      const status = need().tsdbStatus(limit);
      if (status === undefined) throw new ApiError('unavailable', 'the time-series database is not open yet');
      return { data: statusJson(status) };
    }),
  ];
}

/** The status with an empty head's bounds as upstream prints them (math.MaxInt64 and math.MinInt64). */
function statusJson(s: TsdbStatus): unknown {
  const bound = (t: number) =>
    new RawJson(
      t === Number.POSITIVE_INFINITY
        ? '9223372036854775807'
        : t === Number.NEGATIVE_INFINITY
          ? '-9223372036854775808'
          : String(t),
    );
  return {
    headStats: {
      numSeries: s.headStats.numSeries,
      numLabelPairs: s.headStats.numLabelPairs,
      chunkCount: s.headStats.chunkCount,
      minTime: bound(s.headStats.minTime),
      maxTime: bound(s.headStats.maxTime),
    },
    seriesCountByMetricName: s.seriesCountByMetricName,
    labelValueCountByLabelName: s.labelValueCountByLabelName,
    memoryInBytesByLabelName: s.memoryInBytesByLabelName,
    seriesCountByLabelValuePair: s.seriesCountByLabelValuePair,
  };
}
