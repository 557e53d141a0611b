/** An Outbox on a Store in a fresh temp directory, for the notify tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/log/index.ts';
import { type MessageMeta, Outbox, type OutboxOptions } from '../../src/notify/index.ts';
import { Store } from '../../src/store/index.ts';

export interface TestOutbox {
  outbox: Outbox;
  store: Store;
  registry: Registry;
  /** Every log line written so far (JSON). */
  logs: string[];
  dir: string;
  /** Closes the outbox and the store and removes the directory. */
  close(): Promise<void>;
}

export function openOutbox(
  options: Partial<Omit<OutboxOptions, 'store' | 'logger' | 'registry'>> = {},
  dir = mkdtempSync(join(tmpdir(), 'vigil-notify-')),
): TestOutbox {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
  const store = Store.open({ path: join(dir, 'vigil.db'), logger });
  const registry = new Registry();
  const outbox = new Outbox({ store, logger, registry, userAgent: 'vigil/test', ...options });
  return {
    outbox,
    store,
    registry,
    logs,
    dir,
    async close() {
      await outbox.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const meta = (integration = 'slack/0', summary = 'test message'): MessageMeta => ({
  source: 'test',
  receiver: 'ops',
  integration,
  summary,
});

/** The value of one sample of `name` with exactly these labels, or undefined. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metrics = await registry.getMetricsAsJSON();
  const m = metrics.find((x) => x.name === name);
  const v = m?.values.find(
    (s) =>
      (s as { metricName?: string }).metricName === undefined &&
      Object.entries(labels).every(([k, val]) => s.labels[k] === val) &&
      Object.keys(s.labels).length === Object.keys(labels).length,
  );
  return v?.value;
}
