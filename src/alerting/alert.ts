/** An alert as Alertmanager holds it, and the merge rule its alert store applies to updates. */
import { fingerprint } from './fingerprint.ts';

/** Label names and values, keys in byte order. */
export type LabelSet = Readonly<Record<string, string>>;

/**
 * An alert. Times are Unix milliseconds. `endsAt` 0 means unknown (never the case once stored: the store
 * fills it with `now + resolve_timeout` and sets `timeout`).
 */
export interface Alert {
  readonly labels: LabelSet;
  readonly annotations: LabelSet;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
  /** When the store last took an update of this alert. */
  readonly updatedAt: number;
  /** `endsAt` was not given by the client but set from `resolve_timeout`. */
  readonly timeout: boolean;
  readonly fingerprint: string;
}

/** Whether the alert has ended at `now`: `endsAt` set and not after `now`. */
export function resolvedAt(a: Alert, now: number): boolean {
  return a.endsAt !== 0 && a.endsAt <= now;
}

/** A label set with keys in byte order. */
export function sortedLabels(labels: Readonly<Record<string, string>>): LabelSet {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k] as string;
  return out;
}

export function newAlert(fields: Omit<Alert, 'fingerprint' | 'labels'> & { labels: LabelSet }): Alert {
  const labels = sortedLabels(fields.labels);
  return { ...fields, labels, fingerprint: fingerprint(labels) };
}

/**
 * Alertmanager's merge of two alerts of one fingerprint whose time ranges overlap: the newer (by `updatedAt`)
 * is the base; the earliest start wins; when the newer has ended, the later end wins if both have ended;
 * when the newer fires, the older's end wins if it is later and not a timeout end.
 */
export function mergeAlert(a: Alert, b: Alert, now: number): Alert {
  const [older, newer] = b.updatedAt < a.updatedAt ? [b, a] : [a, b];
  let endsAt = newer.endsAt;
  if (resolvedAt(newer, now)) {
    if (resolvedAt(older, now) && older.endsAt > newer.endsAt) endsAt = older.endsAt;
  } else if (older.endsAt > newer.endsAt && !older.timeout) {
    endsAt = older.endsAt;
  }
  return { ...newer, startsAt: Math.min(older.startsAt, newer.startsAt), endsAt };
}

/**
 * Whether `update` continues the episode of `stored` (and is merged into it) rather than starting a new one:
 * its end falls inside the stored range, or its start does (both bounds exclusive, as Alertmanager).
 */
export function overlaps(stored: Alert, update: Alert): boolean {
  return (
    (update.endsAt > stored.startsAt && update.endsAt < stored.endsAt) ||
    (update.startsAt > stored.startsAt && update.startsAt < stored.endsAt)
  );
}
