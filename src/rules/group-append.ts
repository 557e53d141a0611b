/**
 * Writing what rules produce: a rule's samples with stale markers for the series it stopped returning, in one
 * commit; and stale markers alone, for the series of rules and groups a reload removed. A refused sample never
 * fails the rest: out-of-order, duplicate and out-of-bounds samples are expected (another rule writes the series)
 * and only counted; anything else is logged.
 */
import type { Logger } from '../log/index.ts';
import { type Labels, staleNaN } from '../model/index.ts';
import { type Appendable, DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError } from '../storage/index.ts';
import type { RuleSample } from './rule.ts';

export interface AppendResult {
  /** The series written, by label key: the next evaluation's "previous" set. */
  readonly returned: Map<string, Labels>;
  /** The last refused sample's error, if any (the rule's health turns bad). */
  readonly sampleError: Error | undefined;
  /** Set when the commit failed: nothing was written. */
  readonly commitError: Error | undefined;
}

function isExpected(err: unknown): boolean {
  return err instanceof OutOfOrderSampleError || err instanceof DuplicateSampleError || err instanceof OutOfBoundsError;
}

/** Appends `vector`, and stale markers at `staleT` for the series of `previous` it does not hold; commits once. */
export async function appendRuleResult(
  appendable: Appendable,
  vector: readonly RuleSample[],
  previous: ReadonlyMap<string, Labels>,
  staleT: number,
  log: Logger,
): Promise<AppendResult> {
  const app = appendable.appender();
  const returned = new Map<string, Labels>();
  let sampleError: Error | undefined;
  let refused = 0;
  for (const s of vector) {
    try {
      app.append(s.metric, s.t, s.f);
      returned.set(s.metric.key(), s.metric);
    } catch (err) {
      sampleError = err as Error;
      refused++;
      if (!isExpected(err)) {
        log.warn('rule evaluation result discarded', { err: (err as Error).message, sample: s.metric.toString() });
      }
    }
  }
  if (refused > 0) log.debug('rule samples refused by the storage', { refused, err: sampleError?.message });
  for (const [key, labels] of previous) {
    if (returned.has(key)) continue;
    try {
      app.append(labels, staleT, staleNaN);
    } catch (err) {
      if (!isExpected(err)) {
        log.warn('adding stale sample failed', { sample: labels.toString(), err: (err as Error).message });
      }
    }
  }
  try {
    await app.commit();
  } catch (err) {
    return { returned, sampleError, commitError: err as Error };
  }
  return { returned, sampleError, commitError: undefined };
}

/** Appends a staleness marker at `tsMs` for each series, in one commit. Never throws. */
export async function appendStaleMarkers(
  appendable: Appendable,
  series: readonly Labels[],
  tsMs: number,
  log: Logger,
): Promise<void> {
  const app = appendable.appender();
  for (const labels of series) {
    try {
      app.append(labels, tsMs, staleNaN);
    } catch (err) {
      if (!isExpected(err)) {
        log.warn('adding stale sample failed', { sample: labels.toString(), err: (err as Error).message });
      }
    }
  }
  try {
    await app.commit();
  } catch (err) {
    log.warn('stale sample appending failed', { err: (err as Error).message });
  }
}
