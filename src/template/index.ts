/**
 * Go's text/template language as Prometheus and Alertmanager use it for alert templates, with their function
 * maps and Alertmanager's default notification templates.
 */

export { queryEscape } from './builtins.ts';
export { alertmanagerTemplates, defaultTemplateText } from './default-templates.ts';
export type { TemplateErrorCode } from './errors.ts';
export { ArgumentError, TemplateError } from './errors.ts';
export type { TemplateFunc } from './exec.ts';
export { alertmanagerFuncs } from './funcs-alertmanager.ts';
export type { PrometheusFuncsOptions, QuerySample } from './funcs-prometheus.ts';
export { prometheusFuncs } from './funcs-prometheus.ts';
export { formatGoTime, GoDuration, goTimeString } from './go-time.ts';
export { KV, Pair, Pairs } from './kv.ts';
export { sprintf } from './printf.ts';
export type { RuleTemplateData } from './rule-template.ts';
export { checkRuleTemplate, expandRuleTemplate, RuleTemplate } from './rule-template.ts';
export type { FuncMap } from './template-set.ts';
export { checkTemplate, expand, TemplateSet } from './template-set.ts';
