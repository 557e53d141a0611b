/**
 * Prometheus' `alerting` keys: the Alertmanagers to send alerts to (`alertmanagers`) and the relabeling
 * applied to every alert first (`alert_relabel_configs`).
 */
import { duration, type Infer, list, object, oneOf, scalar, str, withDefault } from '../../schema.ts';
import { checkHttpClient, httpClientFields } from '../http-client.ts';
import { relabelConfigs } from '../relabel.ts';
import { checkStaticTargets, fileSdConfig, staticConfig } from '../scrape.ts';

const apiVersion = scalar<'v2'>('an Alertmanager API version', (text) =>
  text === 'v2' ? 'v2' : { error: `expected Alertmanager api version to be one of [v2] but got ${text}` },
);

/**
 * One `alertmanagers` entry: how Prometheus finds and calls an Alertmanager. Defaults: scheme http,
 * path_prefix `/`, timeout 10s, api_version v2, plus the HTTP client defaults.
 */
export const alertmanagerTarget = object(
  {
    static_configs: withDefault(list(staticConfig), () => []),
    file_sd_configs: withDefault(list(fileSdConfig), () => []),
    scheme: withDefault(oneOf(['http', 'https']), 'http'),
    path_prefix: withDefault(str(), '/'),
    timeout: withDefault(duration(), 10_000),
    api_version: withDefault(apiVersion, 'v2'),
    relabel_configs: withDefault(relabelConfigs, () => []),
    alert_relabel_configs: withDefault(relabelConfigs, () => []),
    ...httpClientFields,
  },
  {
    check(c, report) {
      checkHttpClient(c, report);
      if (c.relabel_configs.length === 0) checkStaticTargets(c.static_configs, report);
    },
  },
);
export type AlertmanagerTarget = Infer<typeof alertmanagerTarget>;

/** Prometheus' `alerting` keys: Alertmanagers to notify, and relabeling applied to every alert first. */
export const prometheusAlertingFields = {
  alertmanagers: withDefault(list(alertmanagerTarget), () => []),
  alert_relabel_configs: withDefault(relabelConfigs, () => []),
};
