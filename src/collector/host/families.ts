import type { MetricFamily, MetricSample, MetricType } from '../../exposition/index.ts';
import { Labels } from '../../model/index.ts';

/** A family under construction: samples are pushed in exposition order. */
export interface FamilyBuilder extends MetricFamily {
  readonly samples: MetricSample[];
}

/** A new family with no samples yet. */
export function family(name: string, type: MetricType, help: string): FamilyBuilder {
  return { name, type, help, samples: [] };
}

/** Adds a sample named as the family. */
export function push(f: FamilyBuilder, labels: Labels, value: number): void {
  f.samples.push({ name: f.name, labels, value });
}

/** A family of one unlabelled sample. */
export function single(name: string, type: MetricType, help: string, value: number): MetricFamily {
  return { name, type, help, samples: [{ name, labels: Labels.empty, value }] };
}

/** Appends the families that got samples (node_exporter leaves out a family with none). */
export function appendNonEmpty(out: MetricFamily[], ...fams: FamilyBuilder[]): void {
  for (const f of fams) if (f.samples.length > 0) out.push(f);
}
