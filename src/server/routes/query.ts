/**
 * `/api/v1/query`, `/api/v1/query_range`, `/api/v1/query_exemplars`, `/api/v1/format_query` and
 * `/api/v1/parse_query`, as upstream's `api.go` answers them. Parameters are checked in upstream's order, so a
 * request wrong in two ways is told of the same problem Prometheus would report.
 */
import { children, type Expr, parseExpr, prettify, type QueryOptions, type QueryResult } from '../../promql/index.ts';
import type { Queryable } from '../../storage/index.ts';
import type { RequestContext } from '../context.ts';
import type { Route } from '../router.ts';
import { type ApiReply, getAndPost, queryError } from './query-api.ts';
import { translateAst } from './query-ast.ts';
import type { QueryBackend } from './query-backend.ts';
import { ApiError } from './query-errors.ts';
import { encodeJson, encodeQueryData } from './query-json.ts';
import {
  type ApiParams,
  invalidParam,
  limitParam,
  maxTimeMs,
  minTimeMs,
  parseApiDurationNs,
  parseTimeMs,
  timeParam,
} from './query-params.ts';

/** Most points a range query may return per series (upstream's fixed safety limit). */
const maxPointsPerSeries = 11_000;

/** The query routes; `backend` undefined answers 503 (a server without storage). */
export function queryRoutes(backend: QueryBackend | undefined, now: () => number = Date.now): Route[] {
  return [
    ...getAndPost('/api/v1/query', 'user', async (params, ctx) => {
      const limit = limitParam(params);
      const time = timeParam(params, 'time', now());
      const opts = queryOptions(params);
      const b = need(backend);
      const queryable = storage(b);
      return run(ctx, params, limit, (signal) =>
        b.engine.instantQuery(queryable, params.get('query'), time, { ...opts, signal }),
      );
    }),
    ...getAndPost('/api/v1/query_range', 'user', async (params, ctx) => {
      const limit = limitParam(params);
      const start = rangeTime(params, 'start');
      const end = rangeTime(params, 'end');
      if (end < start) throw invalidParam('end', 'end timestamp must not be before start time');
      let stepNs: number;
      try {
        stepNs = parseApiDurationNs(params.get('step'));
      } catch (err) {
        throw invalidParam('step', (err as Error).message);
      }
      if (stepNs <= 0) {
        throw invalidParam(
          'step',
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      }
      if (Math.trunc(((end - start) * 1e6) / stepNs) > maxPointsPerSeries) {
        throw ApiError.badData(
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      }
      const opts = queryOptions(params);
      const b = need(backend);
      const queryable = storage(b);
      const stepMs = Math.trunc(stepNs / 1e6);
      return run(ctx, params, limit, (signal) =>
        b.engine.rangeQuery(queryable, params.get('query'), start, end, stepMs, { ...opts, signal }),
      );
    }),
    ...getAndPost('/api/v1/query_exemplars', 'user', (params) => {
      const start = timeParam(params, 'start', minTimeMs);
      const end = timeParam(params, 'end', maxTimeMs);
      if (end < start) throw ApiError.badData('end timestamp must not be before start timestamp');
      const expr = parseQuery(params, backend);
      // vigil keeps no exemplars: every selector finds none.
      return hasSelector(expr) ? { data: [] } : { noContent: true };
    }),
    ...getAndPost('/api/v1/format_query', 'user', (params) => ({ data: prettify(parseQuery(params, backend)) })),
    ...getAndPost('/api/v1/parse_query', 'user', (params) => ({ data: translateAst(parseQuery(params, backend)) })),
  ];
}

function need(backend: QueryBackend | undefined): QueryBackend {
  if (backend === undefined) throw new ApiError('unavailable', 'the query engine is not running');
  return backend;
}

function storage(backend: QueryBackend): Queryable {
  const q = backend.queryable();
  if (q === undefined) throw new ApiError('unavailable', 'the time-series database is not open yet');
  return q;
}

/** A range query's `start` or `end`: required, and reported without `parseTimeParam`'s prefix, as upstream. */
function rangeTime(params: ApiParams, name: string): number {
  try {
    return parseTimeMs(params.get(name));
  } catch (err) {
    throw invalidParam(name, (err as Error).message);
  }
}

/** `timeout` and `lookback_delta`, checked in that order. */
function queryOptions(params: ApiParams): Omit<QueryOptions, 'signal'> {
  const opts: { timeoutMs?: number; lookbackDeltaMs?: number } = {};
  const timeout = params.get('timeout');
  if (timeout !== '') {
    try {
      opts.timeoutMs = Math.max(0, parseApiDurationNs(timeout) / 1e6);
    } catch (err) {
      throw invalidParam('timeout', (err as Error).message);
    }
  }
  const lookback = params.get('lookback_delta');
  if (lookback !== '') {
    let ns: number;
    try {
      ns = parseApiDurationNs(lookback);
    } catch (err) {
      throw ApiError.badData(`error parsing lookback delta duration: ${(err as Error).message}`);
    }
    // Upstream falls back to the engine's default for a zero or negative lookback.
    if (ns >= 1e6) opts.lookbackDeltaMs = Math.trunc(ns / 1e6);
  }
  return opts;
}

/**
 * Runs a query, canceling it when the client goes away before the answer, and builds the reply: the result,
 * truncated to `limit` series with upstream's warning, and `stats` when the parameter is set.
 */
async function run(
  ctx: RequestContext,
  params: ApiParams,
  limit: number,
  exec: (signal: AbortSignal) => Promise<QueryResult>,
): Promise<ApiReply> {
  const started = performance.now();
  const abort = new AbortController();
  const onClose = () => {
    if (!ctx.res.writableEnded) abort.abort();
  };
  ctx.res.once('close', onClose);
  // The client may have left while the body was read, before the listener was in place.
  if (ctx.req.socket.destroyed) abort.abort();
  let result: QueryResult;
  try {
    result = await exec(abort.signal);
  } catch (err) {
    throw queryError(err);
  } finally {
    ctx.res.off('close', onClose);
  }
  const stats = params.get('stats') === '' ? undefined : statsJson(result, performance.now() - started);
  const { json, truncated } = encodeQueryData(result.value, limit, stats);
  const warnings = truncated ? [...result.warnings, 'results truncated due to limit'] : result.warnings;
  return { data: json, warnings, infos: result.infos };
}

/** Upstream's `stats.QueryStats` shape, from what the engine measures. Seconds. */
function statsJson(result: QueryResult, totalMs: number): string {
  const evalSeconds = result.stats.evalMs / 1000;
  return encodeJson({
    timings: {
      evalTotalTime: evalSeconds,
      resultSortTime: 0,
      queryPreparationTime: 0,
      innerEvalTime: evalSeconds,
      execQueueTime: 0,
      execTotalTime: totalMs / 1000,
    },
    samples: { totalQueryableSamples: result.stats.samplesLoaded, peakSamples: result.stats.peakSamples },
  });
}

/** The `query` parameter as a syntax tree, with the engine's language features, or `invalid parameter "query"`. */
function parseQuery(params: ApiParams, backend: QueryBackend | undefined): Expr {
  try {
    return backend === undefined ? parseExpr(params.get('query')) : backend.engine.parse(params.get('query'));
  } catch (err) {
    throw queryError(err);
  }
}

/** Whether the expression reads any series (upstream's `len(parser.ExtractSelectors(expr)) > 0`). */
function hasSelector(e: Expr): boolean {
  return e.type === 'VectorSelector' || children(e).some(hasSelector);
}
