/** One alert of an alerting rule: a label set that matched the rule's expression, and its state over time. */
import type { Labels } from '../model/index.ts';

/** Ordered as Prometheus orders them: a rule's state is the greatest state of its alerts. */
export type AlertState = 'inactive' | 'pending' | 'firing';

export const stateRank: Readonly<Record<AlertState, number>> = { inactive: 0, pending: 1, firing: 2 };

/**
 * An alert. Times are Unix milliseconds; `undefined` means "never" (Go's zero time). Mutated only by its rule
 * during an evaluation of the rule's group.
 */
export interface Alert {
  state: AlertState;
  /** The rule's labels (expanded) over the series' labels, without `__name__`, with `alertname`. */
  readonly labels: Labels;
  annotations: Labels;
  /** The value of the series in the latest evaluation that returned it. */
  value: number;
  /** When the expression first returned this label set (moved by state restoration after a restart). */
  activeAtMs: number;
  firedAtMs: number | undefined;
  resolvedAtMs: number | undefined;
  lastSentAtMs: number | undefined;
  /** For firing alerts: until when the notification is valid unless resent (`endsAt`). */
  validUntilMs: number | undefined;
  /** When the condition cleared while `keep_firing_for` keeps the alert firing. */
  keepFiringSinceMs: number | undefined;
}

/** Whether the alert must be (re)sent at `tsMs`, as Prometheus' notifier semantics say. */
export function needsSending(a: Alert, tsMs: number, resendDelayMs: number): boolean {
  if (a.state === 'pending') return false;
  // A resolved alert is sent once more with its resolution time.
  if (a.resolvedAtMs !== undefined && (a.lastSentAtMs === undefined || a.resolvedAtMs > a.lastSentAtMs)) return true;
  return a.lastSentAtMs === undefined || a.lastSentAtMs + resendDelayMs < tsMs;
}
