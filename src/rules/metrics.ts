/** The rule manager's metrics: Prometheus' rule-group metrics under the `vigil_` prefix, labelled by `rule_group`. */
import { Counter, Gauge, type Registry, Summary } from 'prom-client';

const objectives = { percentiles: [0.5, 0.9, 0.99], maxAgeSeconds: 600, ageBuckets: 5 };

export function createRuleMetrics(registry: Registry) {
  const registers = [registry];
  const labelNames = ['rule_group'] as const;
  return {
    evalDuration: new Summary({
      name: 'vigil_rule_evaluation_duration_seconds',
      help: 'The duration for a rule to execute.',
      ...objectives,
      registers,
    }),
    groupDuration: new Summary({
      name: 'vigil_rule_group_duration_seconds',
      help: 'The duration of rule group evaluations.',
      ...objectives,
      registers,
    }),
    evalTotal: new Counter({
      name: 'vigil_rule_evaluations_total',
      help: 'The total number of rule evaluations.',
      labelNames,
      registers,
    }),
    evalFailures: new Counter({
      name: 'vigil_rule_evaluation_failures_total',
      help: 'The total number of rule evaluation failures.',
      labelNames,
      registers,
    }),
    iterationsMissed: new Counter({
      name: 'vigil_rule_group_iterations_missed_total',
      help: 'The total number of rule group evaluations missed due to slow rule group evaluation.',
      labelNames,
      registers,
    }),
    iterationsScheduled: new Counter({
      name: 'vigil_rule_group_iterations_total',
      help: 'The total number of scheduled rule group evaluations, whether executed or missed.',
      labelNames,
      registers,
    }),
    interval: new Gauge({
      name: 'vigil_rule_group_interval_seconds',
      help: 'The interval of a rule group.',
      labelNames,
      registers,
    }),
    lastDuration: new Gauge({
      name: 'vigil_rule_group_last_duration_seconds',
      help: 'The duration of the last rule group evaluation.',
      labelNames,
      registers,
    }),
    lastEvalTimestamp: new Gauge({
      name: 'vigil_rule_group_last_evaluation_timestamp_seconds',
      help: 'The timestamp of the last rule group evaluation in seconds.',
      labelNames,
      registers,
    }),
    lastEvalSamples: new Gauge({
      name: 'vigil_rule_group_last_evaluation_samples',
      help: 'The number of samples returned during the last rule group evaluation.',
      labelNames,
      registers,
    }),
    lastRestoreDuration: new Gauge({
      name: 'vigil_rule_group_last_restore_duration_seconds',
      help: 'The duration of the last alert rules alerts restoration using the `ALERTS_FOR_STATE` series.',
      labelNames,
      registers,
    }),
    rules: new Gauge({
      name: 'vigil_rule_group_rules',
      help: 'The number of rules.',
      labelNames,
      registers,
    }),
  };
}

export type RuleMetrics = ReturnType<typeof createRuleMetrics>;

/** Drops every series of a group that went away. */
export function forgetGroup(m: RuleMetrics, key: string): void {
  for (const metric of [
    m.evalTotal,
    m.evalFailures,
    m.iterationsMissed,
    m.iterationsScheduled,
    m.interval,
    m.lastDuration,
    m.lastEvalTimestamp,
    m.lastEvalSamples,
    m.lastRestoreDuration,
    m.rules,
  ]) {
    metric.remove({ rule_group: key });
  }
}
