/**
 * Alerting config in both formats: Prometheus' `alerting` (where to send alerts) and Alertmanager's `route`,
 * `receivers`, `inhibit_rules`, `templates` and time intervals (what to do with them). vigil.yml nests all of
 * them under `alerting`; an alertmanager.yml has the Alertmanager keys at the top level. The root composes
 * {@link alertingFields} or {@link alertmanagerFields} and calls {@link checkAlertmanager} from its `check`.
 *
 * This file is the section's public face; the parts live in `alerting/`, one file per role.
 */
export { type InhibitRule, inhibitRule } from './alerting/inhibit.ts';
export {
  compareMatchers,
  formatMatcher,
  type Matcher,
  type MatchType,
  matchers,
  parseMatchers,
} from './alerting/matchers.ts';
export { type AlertmanagerTarget, alertmanagerTarget, prometheusAlertingFields } from './alerting/prometheus.ts';
export {
  type EmailConfig,
  emailConfig,
  type Receiver,
  receiver,
  type SlackConfig,
  slackConfig,
  type WebhookConfig,
  webhookConfig,
} from './alerting/receivers.ts';
export { type ResolvedRoute, type Route, resolveRoute, route, routeDefaults } from './alerting/route.ts';
export {
  type AlertingConfig,
  type AlertmanagerConfig,
  type AlertmanagerDefaults,
  alertingFields,
  alertingSection,
  alertmanagerFields,
  checkAlertmanager,
} from './alerting/section.ts';
export {
  type InclusiveRange,
  type NamedTimeInterval,
  namedTimeInterval,
  type TimeIntervalSpec,
  timeIntervalSpec,
} from './alerting/time-intervals.ts';
