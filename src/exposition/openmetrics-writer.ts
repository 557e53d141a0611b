/** Writing families as OpenMetrics 1.0 text, as expfmt's OpenMetrics encoder lays it out. */
import { ExpositionWriteError } from './errors.ts';
import { formatOpenMetricsFloat, formatOpenMetricsTimestamp } from './format-float.ts';
import { openMetricsSuffixes } from './suffixes.ts';
import type { WriteResult } from './text-writer.ts';
import type { Exemplar, MetricFamily } from './types.ts';
import { checkFamily, escapeHelp, formatLabels, labelProblem } from './write-common.ts';

/** OpenMetrics caps an exemplar's label names and values together at 128 code points. */
const maxExemplarLabelChars = 128;

function exemplarProblem(sampleName: string, e: Exemplar): string | null {
  if (!sampleName.endsWith('_total') && !sampleName.endsWith('_bucket')) {
    return `exemplars go on _total and _bucket samples only, not on ${JSON.stringify(sampleName)}`;
  }
  const p = labelProblem(e.labels);
  if (p !== null) return `exemplar ${p}`;
  let chars = 0;
  e.labels.forEach((n, v) => {
    chars += [...n].length + [...v].length;
  });
  if (chars > maxExemplarLabelChars)
    return `exemplar labels have ${chars} characters, more than ${maxExemplarLabelChars}`;
  if (e.timestampMs !== undefined && !Number.isSafeInteger(e.timestampMs)) {
    return `exemplar timestamp ${e.timestampMs} is not an integer number of milliseconds`;
  }
  return null;
}

/**
 * Writes `families` in order as OpenMetrics 1.0 text: `# HELP` (when the family has help), `# TYPE`, `# UNIT` (when
 * it has a non-empty one), the samples with OpenMetrics-formatted values (`1.0`, `+Inf`), timestamps as float
 * seconds that Prometheus reads back to the exact millisecond, exemplars, and `# EOF` last. Enforces OpenMetrics'
 * rules: sample names are the family name plus a suffix its type allows (a counter's samples are `_total` and
 * `_created`), a unit is a suffix of the family name, exemplars only on `_total` and `_bucket` samples with at most
 * 128 characters of labels. Refuses (never throws) what breaks them.
 */
export function writeOpenMetrics(families: readonly MetricFamily[]): WriteResult {
  let out = '';
  for (const f of families) {
    const problem = checkFamily(f, openMetricsSuffixes);
    if (problem !== null) return { ok: false, error: problem };
    const unit = f.unit ?? '';
    if (unit !== '' && !f.name.endsWith(`_${unit}`)) {
      return {
        ok: false,
        error: new ExpositionWriteError(f.name, -1, `unit ${JSON.stringify(unit)} is not a suffix of the family name`),
      };
    }
    if (f.help !== undefined) out += `# HELP ${f.name} ${escapeHelp(f.help, true)}\n`;
    out += `# TYPE ${f.name} ${f.type}\n`;
    if (unit !== '') out += `# UNIT ${f.name} ${unit}\n`;
    for (let i = 0; i < f.samples.length; i++) {
      const s = f.samples[i];
      if (s === undefined) continue;
      out += `${s.name}${formatLabels(s.labels)} ${formatOpenMetricsFloat(s.value)}`;
      if (s.timestampMs !== undefined) out += ` ${formatOpenMetricsTimestamp(s.timestampMs)}`;
      if (s.exemplar !== undefined) {
        const e = s.exemplar;
        const p = exemplarProblem(s.name, e);
        if (p !== null) return { ok: false, error: new ExpositionWriteError(f.name, i, p) };
        out += ` # ${formatLabels(e.labels) || '{}'} ${formatOpenMetricsFloat(e.value)}`;
        if (e.timestampMs !== undefined) out += ` ${formatOpenMetricsTimestamp(e.timestampMs)}`;
      }
      out += '\n';
    }
  }
  return { ok: true, body: `${out}# EOF\n` };
}
