/** Recording and alerting rules, evaluated on Prometheus' schedule and semantics. */
export type { Alert, AlertState } from './alert.ts';
export type { RuleClock, Timer } from './clock.ts';
export { systemRuleClock } from './clock.ts';
export { defaultRulesYaml } from './default-rules.ts';
export type { RuleIssue } from './errors.ts';
export {
  DuplicateLabelsetError,
  formatRuleIssue,
  RuleFileError,
  RuleLimitError,
  RuleResultTypeError,
} from './errors.ts';
export { evalTimestamp } from './eval-time.ts';
export { embeddedRulesFile, expandRuleFiles, loadRuleFiles, readRuleFile } from './file-load.ts';
export type { ParsedRuleFile, ParseRuleFileOptions } from './file-parse.ts';
export { parseRuleFile, parseRuleFileOrThrow } from './file-parse.ts';
export type { Group, Rule } from './group.ts';
export type { RuleManagerOptions, RuleSettings } from './manager.ts';
export { engineQuery, RuleManager } from './manager.ts';
export type { NotifierAlert, SendAlerts } from './notify.ts';
export { generatorUrl } from './notify.ts';
export type { RuleHealth, RuleSample } from './rule.ts';
export type { AlertingRule } from './rule-alerting.ts';
export type { RecordingRule } from './rule-recording.ts';
export type { GroupSpec, RuleSpec } from './spec.ts';
export type { AlertStatus, RuleGroupStatus, RuleStatusView } from './status.ts';
