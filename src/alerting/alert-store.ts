/**
 * The alerts Alertmanager currently knows, by fingerprint (its `provider/mem`): an update that overlaps the
 * stored episode is merged into it, one that does not starts a new episode. Resolved alerts are deleted by
 * {@link AlertStore.gc} (Alertmanager: every 30 minutes).
 */
import { type Alert, mergeAlert, overlaps, resolvedAt } from './alert.ts';

export class AlertStore {
  private readonly alerts = new Map<string, Alert>();

  constructor(private readonly now: () => number) {}

  /** Stores the alerts, merging each with its stored episode; returns what was stored, in input order. */
  put(alerts: readonly Alert[]): Alert[] {
    const now = this.now();
    const out: Alert[] = [];
    for (let a of alerts) {
      const old = this.alerts.get(a.fingerprint);
      if (old !== undefined && overlaps(old, a)) a = mergeAlert(old, a, now);
      this.alerts.set(a.fingerprint, a);
      out.push(a);
    }
    return out;
  }

  get(fp: string): Alert | undefined {
    return this.alerts.get(fp);
  }

  list(): IterableIterator<Alert> {
    return this.alerts.values();
  }

  get size(): number {
    return this.alerts.size;
  }

  /** Deletes the resolved alerts; returns them. */
  gc(): Alert[] {
    const now = this.now();
    const gone: Alert[] = [];
    for (const [fp, a] of this.alerts) {
      if (resolvedAt(a, now)) {
        this.alerts.delete(fp);
        gone.push(a);
      }
    }
    return gone;
  }
}
