/** The labels a scraped sample is stored with: target labels merged in, metric relabeling, label limits. */
import { type Labels, LabelsBuilder } from '../model/index.ts';
import type { Relabeler } from './relabel.ts';
import { LabelLimitError } from './scrape-errors.ts';

const exportedPrefix = 'exported_';

/**
 * Prometheus' `mutateSampleLabels`. With `honor`, exposed labels win and target labels only fill gaps;
 * otherwise target labels win and each clashing exposed label is kept as `exported_<name>` (prefixed again
 * until the name is free, shortest names first). Then `relabel` (metric_relabel_configs) runs. Returns null
 * when the series is dropped (relabeling dropped it or left no label).
 */
export function mutateSampleLabels(
  exposed: Labels,
  target: Labels,
  honor: boolean,
  relabel: Relabeler | null,
): Labels | null {
  const lb = new LabelsBuilder(exposed);
  if (honor) {
    target.forEach((n, v) => {
      if (!exposed.has(n)) lb.set(n, v);
    });
  } else {
    const conflicts: Array<{ name: string; value: string }> = [];
    target.forEach((n, v) => {
      const existing = exposed.get(n);
      if (existing !== '') conflicts.push({ name: n, value: existing });
      lb.set(n, v);
    });
    if (conflicts.length > 0) {
      conflicts.sort((a, b) => a.name.length - b.name.length);
      conflicts.forEach((c, i) => {
        let name = c.name;
        do name = exportedPrefix + name;
        while (exposed.has(name) || target.has(name) || conflicts.slice(0, i).some((o) => o.name === name));
        c.name = name;
      });
      for (const c of conflicts) lb.set(c.name, c.value);
    }
  }
  let res: Labels | null = lb.labels();
  if (relabel !== null) res = relabel.relabel(res);
  return res === null || res.size === 0 ? null : res;
}

/** The labels of a synthetic series (`up`, …): the metric name and the target's labels. */
export function reportLabels(name: string, target: Labels): Labels {
  return new LabelsBuilder(target).set('__name__', name).labels();
}

/** `label_limit`, `label_name_length_limit`, `label_value_length_limit`; 0 disables a limit. */
export interface LabelLimits {
  labelLimit: number;
  nameLengthLimit: number;
  valueLengthLimit: number;
}

/** Prometheus' `verifyLabelLimits`: the first limit the series breaks, with Prometheus' message; else null. */
export function verifyLabelLimits(lset: Labels, limits: LabelLimits): LabelLimitError | null {
  const met = trunc(lset.metricName());
  if (limits.labelLimit > 0 && lset.size > limits.labelLimit) {
    return new LabelLimitError(
      'label_limit',
      `label_limit exceeded (metric: ${met}, number of labels: ${lset.size}, limit: ${limits.labelLimit})`,
    );
  }
  if (limits.nameLengthLimit === 0 && limits.valueLengthLimit === 0) return null;
  for (let i = 0; i < lset.size; i++) {
    const name = lset.name(i);
    const value = lset.value(i);
    const nameLength = Buffer.byteLength(name);
    if (limits.nameLengthLimit > 0 && nameLength > limits.nameLengthLimit) {
      return new LabelLimitError(
        'label_name_length_limit',
        `label_name_length_limit exceeded (metric: ${met}, label name: ${trunc(name)}, length: ${nameLength}, limit: ${limits.nameLengthLimit})`,
      );
    }
    if (limits.valueLengthLimit > 0) {
      const runes = [...value].length;
      if (runes > limits.valueLengthLimit) {
        return new LabelLimitError(
          'label_value_length_limit',
          `label_value_length_limit exceeded (metric: ${met}, label name: ${trunc(name)}, value: ${JSON.stringify(trunc(value))}, length: ${runes}, limit: ${limits.valueLengthLimit})`,
        );
      }
    }
  }
  return null;
}

/** Go's `%.50s`: at most 50 code points. */
function trunc(s: string): string {
  return s.length <= 50 ? s : [...s].slice(0, 50).join('');
}
