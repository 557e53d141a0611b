/** The Accept header a job's `scrape_protocols` ask for. */
import type { ScrapeProtocol } from '../config/index.ts';
import { scrapeAcceptHeader } from '../exposition/index.ts';

const mediaTypes: Partial<Record<ScrapeProtocol, string>> = {
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
};

const defaultOrder = 'OpenMetricsText1.0.0,OpenMetricsText0.0.1,PrometheusText0.0.4';

/**
 * Prometheus 2.42's header for the default protocols; otherwise each protocol in order with falling q values
 * and `*\/*` last, as later Prometheus versions write it. `PrometheusProto` is left out: vigil cannot parse
 * the protobuf format, and a target that would send it sends text when not asked.
 */
export function acceptHeader(protocols: readonly ScrapeProtocol[]): string {
  if (protocols.join(',') === defaultOrder) return scrapeAcceptHeader;
  const types = protocols.map((p) => mediaTypes[p]).filter((t): t is string => t !== undefined);
  let weight = Object.keys(mediaTypes).length + 1;
  const parts = types.map((t) => `${t};q=0.${weight--}`);
  parts.push(`*/*;q=0.${weight}`);
  return parts.join(',');
}
