/**
 * Runs a parsed `.test` file against an engine as upstream's runner does (`promqltest/test.go`): a fresh
 * MemoryStorage per file and per `clear`; range evals compared step by step; instant evals also re-run with
 * `@` pinned (see at-modifier.ts) and in range mode (the middle step of `[t-1m, t+1m]` must be the same answer).
 * Each eval yields an outcome; evals vigil cannot run faithfully are skipped with a reason (unsupported.ts).
 */

import type { Queryable } from '../../storage/index.ts';
import { MemoryStorage } from '../../storage/index.ts';
import { QueryExecutionError } from '../engine/errors.ts';
import type { EngineOptions, QueryResult } from '../engine/options.ts';
import type { QueryValue, Vector } from '../engine/value.ts';
import { allFeatures, type Expr, ParseError, parseExpr } from '../parser/index.ts';
import { annotationError, expectsFailure, failureMessageError } from './annotations.ts';
import { atModifierCase, dependsOnQueryRange } from './at-modifier.ts';
import { type Command, type EvalCommand, TestSyntaxError } from './commands.ts';
import { compareResult, matrixSortError } from './compare.ts';
import { formatValue } from './format.ts';
import { loadInto } from './load.ts';
import { parseTestFile } from './parse.ts';
import { UnsupportedSeries } from './unsupported.ts';

/** The engine settings of upstream's test engine (`NewTestEngine`). */
export const upstreamTestEngineOptions: EngineOptions = {
  lookbackDeltaMs: 300_000,
  maxSamples: 10_000,
  timeoutMs: 100_000,
  defaultSubqueryStepMs: 60_000,
  delayedNameRemoval: true,
  parseOptions: allFeatures,
};

/** What the runner needs of an engine (vigil's `Engine` has it). */
export interface QueryEngine {
  instantQuery(queryable: Queryable, query: string, timeMs: number): Promise<QueryResult>;
  rangeQuery(queryable: Queryable, query: string, startMs: number, endMs: number, stepMs: number): Promise<QueryResult>;
}

export type EvalStatus = 'passed' | 'failed' | 'skipped';

export interface EvalOutcome {
  readonly file: string;
  /** Line of the `eval` (or of the failing `load` series, or of a syntax error). */
  readonly line: number;
  /** The expression; `load` or `parse` for failures outside an eval. */
  readonly expr: string;
  readonly status: EvalStatus;
  /**
   * Skipped: why (`native histograms`, `start timestamps`). Failed: the kind of failure, for grouping:
   * `[@ modifier: |range mode: ](wrong result|unexpected error|crash|missing error|wrong error|annotations)`,
   * `promql parse error`, `load`, `test file`.
   */
  readonly reason?: string;
  /** Failed: one line saying what differs. */
  readonly message?: string;
  /** Failed: the expected lines and the actual result, readable. */
  readonly detail?: string;
}

export interface FileReport {
  readonly file: string;
  readonly outcomes: readonly EvalOutcome[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface RunOptions {
  /** Only evals for which this returns true run (loads and clears always do). */
  readonly onlyLines?: (line: number) => boolean;
}

/** Parses and runs one file. Never throws for the file's sake: problems are failed outcomes. */
export async function runTestFile(
  text: string,
  file: string,
  engine: QueryEngine,
  options: RunOptions = {},
): Promise<FileReport> {
  let commands: Command[];
  try {
    commands = parseTestFile(text, file);
  } catch (err) {
    if (!(err instanceof TestSyntaxError)) throw err;
    return report(file, [
      { file, line: err.line, expr: 'parse', status: 'failed', reason: 'test file', message: err.message },
    ]);
  }
  const outcomes: EvalOutcome[] = [];
  let storage = new MemoryStorage();
  const unsupported = new UnsupportedSeries();
  for (const cmd of commands) {
    if (cmd.kind === 'clear') {
      storage = new MemoryStorage();
      unsupported.clear();
    } else if (cmd.kind === 'load') {
      unsupported.recordLoad(cmd);
      const refused = await loadInto(storage, cmd);
      if (refused !== null) {
        const { series, reason } = refused;
        outcomes.push({ file, line: series.line, expr: 'load', status: 'failed', reason: 'load', message: reason });
      }
    } else if (options.onlyLines?.(cmd.line) ?? true) {
      outcomes.push(await runEval(file, cmd, engine, storage, unsupported));
    }
  }
  return report(file, outcomes);
}

function report(file: string, outcomes: EvalOutcome[]): FileReport {
  const count = (s: EvalStatus) => outcomes.filter((o) => o.status === s).length;
  return { file, outcomes, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** A failure found by one query of an eval. */
interface Problem {
  readonly kind: string;
  readonly message: string;
  readonly actual?: string[];
}

async function runEval(
  file: string,
  cmd: EvalCommand,
  engine: QueryEngine,
  storage: Queryable,
  unsupported: UnsupportedSeries,
): Promise<EvalOutcome> {
  const base = { file, line: cmd.line, expr: cmd.expr };
  let tree: Expr;
  try {
    tree = parseExpr(cmd.expr, allFeatures);
  } catch (err) {
    const kind = err instanceof ParseError ? 'promql parse error' : 'crash';
    return { ...base, status: 'failed', reason: kind, message: errorText(err), detail: expectedDetail(cmd) };
  }
  const skip = unsupported.skipReason(cmd, tree);
  if (skip !== null) return { ...base, status: 'skipped', reason: skip };
  const problem = cmd.range ? await runRangeEval(cmd, engine, storage) : await runInstantEval(cmd, engine, storage);
  if (problem === null) return { ...base, status: 'passed' };
  const actual = problem.actual === undefined ? '' : `\nactual:\n${indent(problem.actual)}`;
  return {
    ...base,
    status: 'failed',
    reason: problem.kind,
    message: problem.message,
    detail: `${expectedDetail(cmd)}${actual}`,
  };
}

function expectedDetail(cmd: EvalCommand): string {
  return `expected:\n${indent(cmd.expectedText.length > 0 ? cmd.expectedText : ['(nothing)'])}`;
}

function indent(lines: readonly string[]): string {
  return lines.map((l) => `    ${l}`).join('\n');
}

type Attempt = { ok: true; result: QueryResult } | { ok: false; error: unknown };

async function attempt(run: () => Promise<QueryResult>): Promise<Attempt> {
  try {
    return { ok: true, result: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** A PromQL error (parse or execution) as opposed to a bug in the engine (TypeError, …). */
function isPromqlError(err: unknown): err is Error {
  return err instanceof ParseError || err instanceof QueryExecutionError;
}

function errorText(err: unknown): string {
  if (isPromqlError(err)) return err.message;
  if (err instanceof Error)
    return `${err.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(err);
}

/**
 * Judges a query that threw: a crash (not a PromQL error) always fails, even under `expect fail`; otherwise
 * the error must be expected and match the expected message. Null when all is as expected.
 */
function judgeError(cmd: EvalCommand, err: unknown, stage: string): Problem | null {
  if (!isPromqlError(err)) return { kind: `${stage}crash`, message: errorText(err) };
  if (!expectsFailure(cmd)) return { kind: `${stage}unexpected error`, message: err.message };
  const wrong = failureMessageError(cmd, err.message);
  return wrong === null ? null : { kind: `${stage}wrong error`, message: wrong };
}

/** Annotations, then the value; null when both meet the expectations. */
function judgeResult(cmd: EvalCommand, result: QueryResult, stage: string, grid?: Grid): Problem | null {
  if (expectsFailure(cmd)) {
    return {
      kind: `${stage}missing error`,
      message: 'expected an error but got none',
      actual: actualLines(result, grid),
    };
  }
  const anno = annotationError(cmd, result.warnings, result.infos);
  if (anno !== null) return { kind: `${stage}annotations`, message: anno, actual: actualLines(result, grid) };
  const diff = compareResult(cmd, result.value);
  return diff === null ? null : { kind: `${stage}wrong result`, message: diff, actual: actualLines(result, grid) };
}

type Grid = { startMs: number; stepMs: number };

function actualLines(result: QueryResult, grid?: Grid): string[] {
  const lines = formatValue(result.value, grid);
  if (lines.length === 0) lines.push('(empty)');
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  for (const i of result.infos) lines.push(`info: ${i}`);
  return lines;
}

async function runRangeEval(cmd: EvalCommand, engine: QueryEngine, storage: Queryable): Promise<Problem | null> {
  const a = await attempt(() => engine.rangeQuery(storage, cmd.expr, cmd.startMs, cmd.endMs, cmd.stepMs));
  if (!a.ok) return judgeError(cmd, a.error, '');
  return judgeResult(cmd, a.result, '', { startMs: cmd.startMs, stepMs: cmd.stepMs });
}

async function runInstantEval(cmd: EvalCommand, engine: QueryEngine, storage: Queryable): Promise<Problem | null> {
  const first = await runInstantQuery(cmd, engine, storage, cmd.expr, cmd.evalMs, '');
  if (first !== null) return first;
  const variant = atModifierCase(cmd.expr, cmd.evalMs);
  if (variant === null) return null;
  for (const t of variant.evalTimesMs) {
    const p = await runInstantQuery(cmd, engine, storage, variant.expr, t, '@ modifier: ');
    if (p !== null) return { ...p, message: `${variant.expr} evaluated at ${t}: ${p.message}` };
  }
  return null;
}

/** One instant query of an eval, then (unless excluded) the same expression in range mode. */
async function runInstantQuery(
  cmd: EvalCommand,
  engine: QueryEngine,
  storage: Queryable,
  expr: string,
  t: number,
  stage: string,
): Promise<Problem | null> {
  const a = await attempt(() => engine.instantQuery(storage, expr, t));
  if (!a.ok) return judgeError(cmd, a.error, stage);
  const grid = cmd.stepMs > 0 ? { startMs: cmd.startMs, stepMs: cmd.stepMs } : undefined;
  const problem = judgeResult(cmd, a.result, stage, grid);
  if (problem !== null || cmd.excludeFromRangeQuery || dependsOnQueryRange(expr)) return problem;

  const r = await attempt(() => engine.rangeQuery(storage, expr, t - 60_000, t + 60_000, 60_000));
  const stageR = `${stage}range mode: `;
  if (!r.ok)
    return { kind: `${stageR}${isPromqlError(r.error) ? 'unexpected error' : 'crash'}`, message: errorText(r.error) };
  if (cmd.ordered) return null;
  const value = r.result.value;
  if (value.type !== 'matrix')
    return { kind: `${stageR}wrong result`, message: `range query returned a ${value.type}` };
  const unsorted = matrixSortError(value.series);
  if (unsorted !== null) return { kind: `${stageR}wrong result`, message: unsorted };
  const samples: Vector = [];
  for (const s of value.series) {
    const i = s.ts.indexOf(t);
    if (i >= 0) samples.push({ metric: s.metric, t, f: s.fs[i] as number, dropName: false });
  }
  let atT: QueryValue = { type: 'vector', samples };
  if (a.result.value.type === 'scalar') {
    const f = samples[0]?.f;
    if (f === undefined) return { kind: `${stageR}wrong result`, message: `no point at ${t} in range mode` };
    atT = { type: 'scalar', t, v: f };
  }
  const diff = compareResult(cmd, atT);
  if (diff === null) return null;
  return { kind: `${stageR}wrong result`, message: `${expr} at ${t}: ${diff}`, actual: formatValue(atT) };
}
