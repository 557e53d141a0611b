export type { Config } from './config.ts';
export { loadConfig, parseConfig, redactedAlertmanagerYaml, redactedYaml } from './config.ts';
export type { DecodeOptions } from './decode.ts';
export type { ConfigIssue } from './errors.ts';
export { ConfigError, formatIssue } from './errors.ts';
export { Secret } from './secret.ts';
export type {
  AlertingConfig,
  AlertmanagerConfig,
  AlertmanagerTarget,
  EmailConfig,
  InclusiveRange,
  InhibitRule,
  Matcher as AlertMatcher,
  MatchType as AlertMatchType,
  NamedTimeInterval,
  Receiver,
  ResolvedRoute,
  Route,
  SlackConfig,
  TimeIntervalSpec,
  WebhookConfig,
} from './sections/alerting.ts';
export { compareMatchers, formatMatcher, parseMatchers, resolveRoute, routeDefaults } from './sections/alerting.ts';
export type { CollectorConfig } from './sections/collector.ts';
export type {
  GatewayConfig,
  GatewayEventsToConfig,
  GatewayHealthCheckConfig,
  GatewayLimits,
  GatewayRouteConfig,
  GatewaySiteConfig,
  GatewayUpstreamConfig,
  GatewayWafConfig,
  GatewayWafExclusionConfig,
} from './sections/gateway.ts';
export type { GlobalConfig, ScrapeProtocol } from './sections/global.ts';
export type { HttpClientConfig, TlsConfig } from './sections/http-client.ts';
export type { RelabelAction, RelabelConfig } from './sections/relabel.ts';
export { relabelConfigs } from './sections/relabel.ts';
export type {
  DockerSdConfig,
  FileSdConfig,
  ResolvedScrapeConfig,
  ScrapeConfig,
  StaticConfig,
} from './sections/scrape.ts';
export type { AuthConfig, ServerConfig } from './sections/server.ts';
export type { StorageConfig } from './sections/storage.ts';
