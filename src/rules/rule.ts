/** What recording and alerting rules share: their spec, health and the context one evaluation runs in. */

import type { Logger } from '../log/index.ts';
import type { Labels } from '../model/index.ts';
import type { RuleSpec } from './spec.ts';

export type RuleHealth = 'unknown' | 'ok' | 'err';

/** One sample a rule produced, to be appended: `t` Unix ms. */
export interface RuleSample {
  readonly metric: Labels;
  readonly t: number;
  readonly f: number;
}

/** Runs an instant query at `timeMs`; a scalar result comes back as one sample without labels. Throws on failure. */
export type RuleQuery = (query: string, timeMs: number) => Promise<RuleSample[]>;

/** What one evaluation of a rule needs from its group and manager. */
export interface RuleEvalContext {
  readonly query: RuleQuery;
  readonly queryOffsetMs: number;
  /** 0: no limit. */
  readonly limit: number;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalUrl: string;
  readonly logger: Logger;
}

/** The evaluation record of a rule, shown by the API. */
export class RuleStatus {
  health: RuleHealth = 'unknown';
  lastError: Error | undefined;
  /** Wall time of the latest evaluation, ms. */
  evaluationTimeMs = 0;
  /** Wall-clock start of the latest evaluation, Unix ms; undefined before the first. */
  lastEvaluationMs: number | undefined;

  constructor(readonly spec: RuleSpec) {}

  /** `name` + labels: the identity of a rule across reloads (as Prometheus' `nameAndLabels`). */
  identity(): string {
    return `${this.spec.name}${this.spec.labels.toString()}`;
  }
}
