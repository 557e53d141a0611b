/**
 * The PromQL engine: parses a query, prepares it for its time range, evaluates it against a Queryable and
 * returns the value with its warnings. Instant queries evaluate at one time; range queries at every step of
 * `[start, end]`. Limits: a timeout, a cap on samples held at once, and a cap on queries running together.
 */
import { compareLabels } from '../../model/index.ts';
import type { Queryable } from '../../storage/index.ts';
import { children, type Expr, exprType, type ParseOptions, parseExpr } from '../parser/index.ts';
import { Annotations } from './annotations.ts';
import { QueryBadDataError, QueryCanceledError, QueryTimeoutError } from './errors.ts';
import { QueryContext } from './eval-context.ts';
import { Evaluator, mergeSameLabels } from './evaluator.ts';
import { dropMetricName } from './labels.ts';
import type { EngineOptions, QueryOptions, QueryResult } from './options.ts';
import { preprocess } from './preprocess.ts';
import type { Matrix, QueryValue, Series, Vector } from './value.ts';

const sortFunctions: ReadonlySet<string> = new Set(['sort', 'sort_desc', 'sort_by_label', 'sort_by_label_desc']);

interface Resolved {
  lookbackDeltaMs: number;
  maxSamples: number;
  timeoutMs: number;
  maxConcurrent: number;
  defaultSubqueryStepMs: number;
  delayedNameRemoval: boolean;
  parseOptions: ParseOptions;
}

function positive(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`EngineOptions.${name}: must be a positive number, got ${v}`);
  return v;
}

export class Engine {
  private readonly opts: Resolved;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: EngineOptions = {}) {
    this.opts = {
      lookbackDeltaMs: positive('lookbackDeltaMs', options.lookbackDeltaMs, 300_000),
      maxSamples: positive('maxSamples', options.maxSamples, 50_000_000),
      timeoutMs: positive('timeoutMs', options.timeoutMs, 120_000),
      maxConcurrent: positive('maxConcurrent', options.maxConcurrent, 20),
      defaultSubqueryStepMs: positive('defaultSubqueryStepMs', options.defaultSubqueryStepMs, 60_000),
      delayedNameRemoval: options.delayedNameRemoval ?? false,
      parseOptions: options.parseOptions ?? {},
    };
  }

  /** Parses `query` with this engine's language options; throws ParseError. */
  parse(query: string): Expr {
    return parseExpr(query, this.opts.parseOptions);
  }

  /** Evaluates `query` at `timeMs` (Unix ms). */
  instantQuery(queryable: Queryable, query: string, timeMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    return this.exec(queryable, query, timeMs, timeMs, 0, opts);
  }

  /** Evaluates `query` at `startMs`, `startMs + stepMs`, … up to `endMs`; the result is always a matrix. */
  rangeQuery(
    queryable: Queryable,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions = {},
  ): Promise<QueryResult> {
    if (!(stepMs > 0))
      return Promise.reject(
        new QueryBadDataError('zero or negative query resolution step widths are not accepted. Try a positive integer'),
      );
    if (endMs < startMs) return Promise.reject(new QueryBadDataError('end timestamp must not be before start time'));
    return this.exec(queryable, query, startMs, endMs, stepMs, opts);
  }

  private async exec(
    queryable: Queryable,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<QueryResult> {
    const began = Date.now();
    const parsed = this.parse(query);
    const range = stepMs > 0;
    const type = exprType(parsed);
    if (range && type !== 'vector' && type !== 'scalar') {
      throw new QueryBadDataError(
        `invalid expression type "${type === 'matrix' ? 'range vector' : type}" for range query, must be Scalar or instant Vector`,
      );
    }
    const timeoutMs = Math.min(this.opts.timeoutMs, opts.timeoutMs ?? Number.POSITIVE_INFINITY);
    const deadline = began + timeoutMs;
    await this.acquire(deadline, opts.signal);
    const annotations = new Annotations(query);
    const ctx = new QueryContext(
      {
        query,
        lookbackDeltaMs: opts.lookbackDeltaMs ?? this.opts.lookbackDeltaMs,
        maxSamples: this.opts.maxSamples,
        defaultSubqueryStepMs: this.opts.defaultSubqueryStepMs,
        delayedNameRemoval: this.opts.delayedNameRemoval,
        deadline,
        signal: opts.signal,
        queryStartMs: startMs,
        queryEndMs: endMs,
        queryStepMs: stepMs,
      },
      queryable,
      annotations,
    );
    try {
      ctx.checkNow('query preparation');
      const expr = preprocess(parsed, { query, startMs, endMs, stepMs });
      const evalStart = Date.now();
      let value: QueryValue;
      if (type === 'string') {
        value = { type: 'string', t: startMs, v: new Evaluator(ctx, startMs, endMs, 1).evalString(expr) };
      } else {
        const mat = range
          ? await evalInBatches(ctx, expr, startMs, endMs, stepMs)
          : new Evaluator(ctx, startMs, startMs, 1).eval(expr);
        value = this.result(mat, type, range, startMs, parsed, annotations);
      }
      return {
        value,
        warnings: [...annotations.warnings],
        infos: [...annotations.infos],
        stats: { samplesLoaded: ctx.samplesLoaded, peakSamples: ctx.peakSamples, evalMs: Date.now() - evalStart },
      };
    } finally {
      ctx.close();
      this.release();
    }
  }

  private result(
    mat: Matrix,
    type: string,
    range: boolean,
    timeMs: number,
    parsed: Expr,
    annotations: Annotations,
  ): QueryValue {
    if (type === 'scalar' && !range) {
      const s = mat[0];
      return { type: 'scalar', t: timeMs, v: s === undefined || s.fs.length === 0 ? Number.NaN : (s.fs[0] as number) };
    }
    const cleaned = cleanup(mat);
    if (range) {
      for (const call of sortCalls(parsed)) {
        annotations.warn('sort is ineffective for range queries since results are always ordered by labels', call);
      }
      cleaned.sort((a, b) => compareLabels(a.metric, b.metric));
      return { type: 'matrix', series: cleaned };
    }
    if (type === 'matrix') return { type: 'matrix', series: cleaned };
    const samples: Vector = cleaned.map((s) => ({
      metric: s.metric,
      t: timeMs,
      f: s.fs[0] as number,
      dropName: false,
    }));
    return { type: 'vector', samples };
  }

  private async acquire(deadline: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) throw new QueryCanceledError('queue');
    if (this.running < this.opts.maxConcurrent) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          cleanupWait();
          reject(new QueryTimeoutError('queue'));
        },
        Math.max(0, deadline - Date.now()),
      );
      const onAbort = () => {
        cleanupWait();
        reject(new QueryCanceledError('queue'));
      };
      const turn = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.running++;
        resolve();
      };
      const cleanupWait = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(turn);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(turn);
    });
  }

  private release(): void {
    this.running--;
    const next = this.waiting.shift();
    if (next !== undefined) next();
  }
}

/**
 * A range query is evaluated in batches of steps; between batches the engine yields to the event loop, so a long
 * query neither starves the server (scrapes, other requests) nor misses its cancellation. Splitting is exact:
 * PromQL's value at a step depends only on that step (subquery steps align to absolute multiples, `@ start()`
 * and `step()` were resolved for the whole query). The first batch has `firstBatchSteps` steps; later ones are
 * sized to take about `batchTargetMs` at the pace measured so far, since each batch repeats the selects.
 */
const firstBatchSteps = 256;
const batchTargetMs = 200;

async function evalInBatches(ctx: QueryContext, expr: Expr, startMs: number, endMs: number, stepMs: number) {
  const steps = Math.floor((endMs - startMs) / stepMs) + 1;
  if (steps <= firstBatchSteps) return new Evaluator(ctx, startMs, endMs, stepMs).eval(expr);
  const out: Matrix = [];
  const byKey = new Map<string, Series>();
  let batch = firstBatchSteps;
  let done = 0;
  const began = performance.now();
  while (done < steps) {
    const from = startMs + done * stepMs;
    const n = Math.min(batch, steps - done);
    const to = from + (n - 1) * stepMs;
    for (const s of new Evaluator(ctx, from, to, stepMs).eval(expr)) {
      const key = s.dropName ? `${s.metric.key()}\x00drop` : s.metric.key();
      const prev = byKey.get(key);
      if (prev === undefined) {
        byKey.set(key, s);
        out.push(s);
      } else {
        for (let j = 0; j < s.ts.length; j++) {
          prev.ts.push(s.ts[j] as number);
          prev.fs.push(s.fs[j] as number);
        }
      }
    }
    done += n;
    if (done >= steps) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
    ctx.checkNow();
    const msPerStep = (performance.now() - began) / done;
    batch = Math.max(firstBatchSteps, Math.floor(batchTargetMs / Math.max(msPerStep, 1e-3)));
  }
  return out;
}

/** Drops `__name__` where delayed name removal asked for it, merging series that end up with the same labels. */
function cleanup(mat: Matrix): Series[] {
  for (const s of mat) {
    if (s.dropName) {
      s.metric = dropMetricName(s.metric);
      s.dropName = false;
    }
  }
  return mergeSameLabels(mat);
}

/** The calls to sort functions in `e`, which a range query warns about. */
function sortCalls(e: Expr, out: Expr[] = []): Expr[] {
  if (e.type === 'Call' && sortFunctions.has(e.func.name)) out.push(e);
  for (const c of children(e)) sortCalls(c, out);
  return out;
}
