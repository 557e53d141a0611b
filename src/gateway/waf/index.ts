/**
 * The WAF: a SecLang engine that loads the OWASP Core Rule Set unchanged and evaluates HTTP transactions.
 *
 * Load once (`new WafEngine({ files: crsFiles(dir), sources: [...] })`; every error is a WafConfigError
 * with file:line, and regexes RE2 cannot run are listed in `skippedRules`), then per request:
 * `newTransaction()`, `processRequestHeaders` (phase 1), `processRequestBody` (body processor + phase 2),
 * `processResponseHeaders` (3), `processResponseBody` (4), `processLogging` (5). Each step returns the
 * interruption (or null) as data; nothing throws on request or response data. `event()` gives the security
 * event, `logLines()` ModSecurity-style log lines. A transaction is used by one request at a time; the
 * engine is immutable and shared. `WafInspector` adapts it to the proxy's inspection seam.
 */

export { baselineRules } from './baseline.ts';
export type { BodyLimits, BodyProcessor } from './body/index.ts';
export { bodyProcessors } from './body/index.ts';
export type { WafEngineOptions } from './engine.ts';
export { WafEngine } from './engine.ts';
export { WafConfigError } from './errors.ts';
export type { EventRule, Interruption, SecurityEvent } from './event.ts';
export { requestHeaderPairs, WafInspector } from './inspector.ts';
export { detectSqli } from './libinjection/sqli.ts';
export { detectXss } from './libinjection/xss.ts';
export { logEscape } from './log-line.ts';
export type { RuleMatch } from './match.ts';
export type { CompileEnv, MatchContext, Operator, OperatorFactory } from './operators/index.ts';
export { operators } from './operators/index.ts';
export type { RecommendedOptions } from './recommended.ts';
export { recommendedConfig } from './recommended.ts';
export { compilePcre, pcreToRe2 } from './regex.ts';
export type { RequestHead } from './request.ts';
export { crsFiles } from './seclang/files.ts';
export type { ConfigSource } from './seclang/loader.ts';
export type { EngineSettings } from './settings.ts';
export type { WafInspectorFactoryOptions } from './site-inspector.ts';
export { wafInspectorFactory } from './site-inspector.ts';
export { TxState } from './state.ts';
export type { Transaction, TransactionOptions } from './transaction.ts';
export type { Transformation, TransformResult } from './transformations/index.ts';
export { transformations } from './transformations/index.ts';
