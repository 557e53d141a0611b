/** What the rules and alerts APIs show of the running groups: plain snapshots, taken when asked. */
import { Labels } from '../model/index.ts';
import type { AlertState } from './alert.ts';
import type { Group } from './group.ts';
import type { RuleHealth } from './rule.ts';
import { AlertingRule } from './rule-alerting.ts';

export interface AlertStatus {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: AlertState;
  readonly activeAtMs: number;
  readonly keepFiringSinceMs: number | undefined;
  readonly value: number;
}

export interface RuleStatusView {
  readonly type: 'alerting' | 'recording';
  readonly name: string;
  readonly query: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  /** `for`, ms (0 for recording rules). */
  readonly durationMs: number;
  readonly keepFiringForMs: number;
  readonly health: RuleHealth;
  readonly lastError: string | undefined;
  readonly evaluationTimeMs: number;
  /** Unix ms; undefined before the first evaluation. */
  readonly lastEvaluationMs: number | undefined;
  /** The greatest state of the rule's alerts ('inactive' for recording rules). */
  readonly state: AlertState;
  /** Pending and firing alerts (none for recording rules). */
  readonly alerts: readonly AlertStatus[];
}

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  readonly intervalMs: number;
  readonly limit: number;
  readonly evaluationTimeMs: number;
  readonly lastEvaluationMs: number | undefined;
  readonly rules: readonly RuleStatusView[];
}

export function groupStatus(g: Group): RuleGroupStatus {
  return {
    name: g.spec.name,
    file: g.spec.file,
    intervalMs: g.intervalMs,
    limit: g.spec.limit,
    evaluationTimeMs: g.evaluationTimeMs,
    lastEvaluationMs: g.lastEvaluationMs,
    rules: g.rules.map((r) => {
      const alerting = r instanceof AlertingRule;
      return {
        type: r.kind,
        name: r.spec.name,
        query: r.spec.query,
        labels: r.spec.labels,
        annotations: annotationLabels(r.spec.annotations),
        durationMs: r.spec.forMs,
        keepFiringForMs: r.spec.keepFiringForMs,
        health: r.health,
        lastError: r.lastError?.message,
        evaluationTimeMs: r.evaluationTimeMs,
        lastEvaluationMs: r.lastEvaluationMs,
        state: alerting ? r.state() : 'inactive',
        alerts: alerting
          ? r.activeAlerts().map((a) => ({
              labels: a.labels,
              annotations: a.annotations,
              state: a.state,
              activeAtMs: a.activeAtMs,
              keepFiringSinceMs: a.keepFiringSinceMs,
              value: a.value,
            }))
          : [],
      };
    }),
  };
}

function annotationLabels(pairs: readonly (readonly [string, string])[]): Labels {
  return Labels.fromPairs(pairs);
}
