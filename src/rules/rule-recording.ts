/** A recording rule: its expression's result, renamed and relabelled, becomes series of its own. */
import { LabelsBuilder, metricNameLabel } from '../model/index.ts';
import { DuplicateLabelsetError, RuleLimitError } from './errors.ts';
import { type RuleEvalContext, type RuleSample, RuleStatus } from './rule.ts';

export class RecordingRule extends RuleStatus {
  readonly kind = 'recording';

  /**
   * Evaluates at `tsMs`: the samples to append (timestamped `tsMs - queryOffsetMs`). Throws
   * DuplicateLabelsetError, RuleLimitError, or what the query threw.
   */
  async eval(tsMs: number, ctx: RuleEvalContext): Promise<RuleSample[]> {
    const at = tsMs - ctx.queryOffsetMs;
    const vector = await ctx.query(this.spec.query, at);
    const seen = new Set<string>();
    const out: RuleSample[] = [];
    for (const s of vector) {
      const b = new LabelsBuilder(s.metric).set(metricNameLabel, this.spec.name);
      this.spec.labels.forEach((n, v) => {
        b.set(n, v);
      });
      const metric = b.labels();
      const key = metric.key();
      if (seen.has(key)) throw new DuplicateLabelsetError('recording');
      seen.add(key);
      out.push({ metric, t: at, f: s.f });
    }
    if (ctx.limit > 0 && out.length > ctx.limit) throw new RuleLimitError('recording', ctx.limit, out.length);
    return out;
  }
}
