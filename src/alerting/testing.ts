/** Test support: a local webhook receiver that records what Alertmanager-style senders post. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** Milliseconds since the sink started. */
  readonly at: number;
  readonly path: string;
  readonly body: WebhookPayload;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** Alertmanager's webhook payload (version 4), as received. */
export interface WebhookPayload {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: string;
  groupKey: string;
  truncatedAlerts: number;
}

/** An HTTP server on 127.0.0.1 that answers 200 to every POST and records it. */
export class WebhookSink {
  readonly received: Received[] = [];
  private readonly server: Server;
  private readonly t0 = Date.now();
  private waiters: (() => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload;
          this.received.push({ at: Date.now() - this.t0, path: req.url ?? '', body, headers: req.headers });
          res.end();
        } catch {
          res.statusCode = 400;
          res.end('bad json');
        }
        const w = this.waiters;
        this.waiters = [];
        for (const f of w) f();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves when `predicate` holds for what was received, or rejects after `timeoutMs`. */
  async waitFor(predicate: (r: readonly Received[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out; received ${JSON.stringify(this.received.map((r) => r.body.groupKey))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
