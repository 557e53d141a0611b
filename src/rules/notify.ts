/** Alerts as the rules hand them to the notifier: Alertmanager's postable-alert fields, as Prometheus sends them. */
import type { Alert } from './alert.ts';

/** One alert to notify (the shape of the alerting module's PostableAlert). Times are Unix ms. */
export interface NotifierAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** When the alert started firing. */
  readonly startsAt: number;
  /** Its resolution time when resolved, else until when it is valid unless resent. */
  readonly endsAt: number;
  /** A link to the expression in vigil's graph page. */
  readonly generatorURL: string;
}

/** Receives the alerts of one rule evaluation (never an empty list). Must not throw. */
export type SendAlerts = (alerts: NotifierAlert[]) => void;

/** Go's `url.QueryEscape`: spaces become `+`, everything but letters, digits and `-_.~` is %-escaped. */
export function goQueryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `externalUrl` + the graph page's link to `expr` as a table. */
export function generatorUrl(externalUrl: string, expr: string): string {
  return `${externalUrl}/graph?g0.expr=${goQueryEscape(expr)}&g0.tab=1`;
}

/** The notifier's view of `alerts` of rule `expr`: external labels added where the alert has none of that name. */
export function toNotifierAlerts(
  alerts: readonly Alert[],
  expr: string,
  externalUrl: string,
  externalLabels: Readonly<Record<string, string>>,
): NotifierAlert[] {
  const url = generatorUrl(externalUrl, expr);
  return alerts.map((a) => {
    const labels = a.labels.toObject();
    for (const [k, v] of Object.entries(externalLabels)) if (!labels[k] && v !== '') labels[k] = v;
    const endsAt = a.resolvedAtMs ?? a.validUntilMs ?? a.activeAtMs;
    return {
      labels: Object.fromEntries(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
      annotations: a.annotations.toObject(),
      startsAt: a.firedAtMs ?? a.activeAtMs,
      endsAt,
      generatorURL: url,
    };
  });
}
