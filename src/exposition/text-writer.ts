/** Writing families as Prometheus text format 0.0.4, as expfmt's text encoder lays it out. */
import type { ExpositionWriteError } from './errors.ts';
import { ExpositionWriteError as WriteError } from './errors.ts';
import { formatGoFloat } from './format-float.ts';
import { anySuffixes } from './suffixes.ts';
import type { MetricFamily, MetricType } from './types.ts';
import { checkFamily, escapeHelp, formatLabels } from './write-common.ts';

/** The outcome of a writer: the body, or the first family it cannot write. */
export type WriteResult = { ok: true; body: string } | { ok: false; error: ExpositionWriteError };

/** Text 0.0.4 names: `unknown` is `untyped`; the OpenMetrics-only types have no 0.0.4 name and are `untyped` too. */
const textTypeName: Readonly<Record<MetricType, string>> = {
  counter: 'counter',
  gauge: 'gauge',
  histogram: 'histogram',
  summary: 'summary',
  unknown: 'untyped',
  gaugehistogram: 'untyped',
  info: 'untyped',
  stateset: 'untyped',
};

/**
 * Writes `families` in order as text 0.0.4: `# HELP` (when the family has help), `# TYPE`, then one line per sample
 * with Go-formatted values and integer millisecond timestamps. Units and exemplars have no place in this format and
 * are left out. Refuses (never throws) invalid names, samples that do not belong to their family, timestamps that
 * are not integers, and negative timestamps (Prometheus' parser reads only digits there).
 */
export function writeText(families: readonly MetricFamily[]): WriteResult {
  let out = '';
  for (const f of families) {
    const problem = checkFamily(f, anySuffixes);
    if (problem !== null) return { ok: false, error: problem };
    if (f.help !== undefined) out += `# HELP ${f.name} ${escapeHelp(f.help, false)}\n`;
    out += `# TYPE ${f.name} ${textTypeName[f.type]}\n`;
    for (let i = 0; i < f.samples.length; i++) {
      const s = f.samples[i];
      if (s === undefined) continue;
      out += `${s.name}${formatLabels(s.labels)} ${formatGoFloat(s.value)}`;
      if (s.timestampMs !== undefined) {
        if (s.timestampMs < 0) {
          return { ok: false, error: new WriteError(f.name, i, 'text format 0.0.4 cannot carry a negative timestamp') };
        }
        out += ` ${s.timestampMs}`;
      }
      out += '\n';
    }
  }
  return { ok: true, body: out };
}
