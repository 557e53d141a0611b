/** Summaries of conformance runs: a line per file, the totals line, skip reasons and failure kinds. */
import type { EvalOutcome, FileReport } from './run.ts';

/** `file.test: P passed, F failed, S skipped`. */
export function fileLine(r: FileReport): string {
  return `${r.file}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
}

/** `N passed, M failed, K skipped` over all files. */
export function totalsLine(reports: readonly FileReport[]): string {
  const sum = (f: (r: FileReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return `${sum((r) => r.passed)} passed, ${sum((r) => r.failed)} failed, ${sum((r) => r.skipped)} skipped`;
}

/** A failed outcome in full: where, what, and expected against actual. */
export function failureText(o: EvalOutcome): string {
  const head = `FAIL ${o.file}:${o.line} ${o.expr}\n  [${o.reason}] ${o.message ?? ''}`;
  return o.detail === undefined ? head : `${head}\n${o.detail.replace(/^/gm, '  ')}`;
}

/** How many outcomes have each `reason` among those with `status`, most frequent first. */
export function countReasons(reports: readonly FileReport[], status: 'failed' | 'skipped'): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of reports) {
    for (const o of r.outcomes) {
      if (o.status === status) counts.set(o.reason ?? '', (counts.get(o.reason ?? '') ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * Failures grouped by kind and message shape (quoted text, numbers and label sets blanked), most frequent
 * first, each with up to `examples` locations.
 */
export function failureGroups(
  reports: readonly FileReport[],
  examples = 3,
): Array<{ key: string; count: number; where: string[] }> {
  const groups = new Map<string, { key: string; count: number; where: string[] }>();
  for (const r of reports) {
    for (const o of r.outcomes) {
      if (o.status !== 'failed') continue;
      const key = `[${o.reason}] ${messageShape(o.message ?? '')}`;
      const g = groups.get(key) ?? { key, count: 0, where: [] };
      g.count++;
      if (g.where.length < examples) g.where.push(`${o.file}:${o.line}`);
      groups.set(key, g);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

function messageShape(message: string): string {
  return (message.split('\n')[0] as string)
    .replace(/^.* evaluated at -?\d+: /, '')
    .replace(/^.* at -?\d+: /, '')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\{[^{}]*\}/g, '{…}')
    .replace(/[a-zA-Z_:][a-zA-Z0-9_:]*\{…\}/g, '{…}')
    .replace(/-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\bNaN\b|-?\bInf\b/g, 'N')
    .slice(0, 160);
}
