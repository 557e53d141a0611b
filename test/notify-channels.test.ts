// One contract, every channel: the same outcomes (delivered, retried after a transient failure, dead-lettered
// on a permanent one) checked against each channel with its own kind of server on loopback.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Message } from '../src/notify/index.ts';
import { SlackLikeServer, slackAnswers } from '../src/notify/testing.ts';
import { meta, openOutbox, type TestOutbox } from './support/notify.ts';

type Script = 'ok' | 'transient' | 'permanent';

/** A receiver for one channel: it answers the next deliveries to `key` as scripted, then accepts. */
interface Fixture {
  start(): Promise<void>;
  close(): Promise<void>;
  message(key: string): Message;
  script(key: string, ...answers: Script[]): void;
  /** Messages accepted for `key`. */
  accepted(key: string): number;
}

function slackFixture(): Fixture {
  let s: SlackLikeServer;
  const answer = { ok: slackAnswers.ok, transient: slackAnswers.serverError, permanent: slackAnswers.channelNotFound };
  return {
    async start() {
      s = await SlackLikeServer.start();
    },
    close: () => s.close(),
    message: (key) => ({ kind: 'slack', url: s.url(key), body: { text: key } }),
    script: (key, ...answers) => s.script(s.url(key), ...answers.map((a) => answer[a])),
    accepted: (key) => s.messagesTo(s.url(key)).length,
  };
}

function webhookFixture(): Fixture {
  const server = createServer();
  const scripts = new Map<string, Script[]>();
  const accepted = new Map<string, number>();
  const status = { ok: 200, transient: 503, permanent: 422 };
  server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      const key = (req.url ?? '/').slice(1);
      const a = scripts.get(key)?.shift() ?? 'ok';
      if (a === 'ok') accepted.set(key, (accepted.get(key) ?? 0) + 1);
      res.writeHead(status[a]).end();
    });
  });
  let base = '';
  return {
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise((r) => server.close(() => r())),
    message: (key) => ({ kind: 'webhook', url: `${base}/${key}`, body: { key } }),
    script: (key, ...answers) => scripts.set(key, [...(scripts.get(key) ?? []), ...answers]),
    accepted: (key) => accepted.get(key) ?? 0,
  };
}

function emailFixture(): Fixture {
  const scripts = new Map<string, Script[]>();
  const accepted = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, cb) {
      const key = address.address.split('@')[0] ?? '';
      const a = scripts.get(key)?.shift() ?? 'ok';
      if (a === 'ok') return cb();
      cb(Object.assign(new Error(a), { responseCode: a === 'transient' ? 452 : 553 }));
    },
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) {
          const key = r.address.split('@')[0] ?? '';
          accepted.set(key, (accepted.get(key) ?? 0) + 1);
        }
        cb();
      });
    },
  });
  let port = 0;
  return {
    async start() {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.server.address() as AddressInfo).port;
    },
    close: () => new Promise((r) => server.close(() => r())),
    message: (key) => ({
      kind: 'email',
      smtp: { smarthost: { host: '127.0.0.1', port }, requireTls: false },
      from: 'vigil@example.org',
      to: `${key}@example.org`,
      subject: key,
      text: key,
    }),
    script: (key, ...answers) => scripts.set(key, [...(scripts.get(key) ?? []), ...answers]),
    accepted: (key) => accepted.get(key) ?? 0,
  };
}

const fixtures = { slack: slackFixture, webhook: webhookFixture, email: emailFixture };

for (const [name, make] of Object.entries(fixtures)) {
  describe(`notify channel contract: ${name}`, () => {
    const f = make();
    let t: TestOutbox;
    before(async () => {
      await f.start();
      t = openOutbox({ retry: { initialMs: 20, maxMs: 40 }, slackRatePerSecond: 0 });
      t.outbox.start();
    });
    after(async () => {
      await t.close();
      await f.close();
    });
    const outcome = async (id: number) => {
      await waitFor(() => t.outbox.history().some((r) => r.id === id && r.status !== 'failed'));
      return t.outbox.history().find((r) => r.id === id);
    };

    it('delivers at the first attempt', async () => {
      const id = t.outbox.enqueue(f.message('first'), meta(`${name}/0`));
      assert.deepEqual([(await outcome(id))?.status, (await outcome(id))?.attempts], ['sent', 1]);
      assert.equal(f.accepted('first'), 1);
    });

    it('retries after a transient failure', async () => {
      f.script('flaky', 'transient', 'transient');
      const id = t.outbox.enqueue(f.message('flaky'), meta(`${name}/0`));
      assert.deepEqual([(await outcome(id))?.status, (await outcome(id))?.attempts], ['sent', 3]);
      assert.equal(f.accepted('flaky'), 1);
    });

    it('dead-letters a permanent failure after one attempt', async () => {
      f.script('refused', 'permanent');
      const id = t.outbox.enqueue(f.message('refused'), meta(`${name}/0`));
      assert.deepEqual([(await outcome(id))?.status, (await outcome(id))?.attempts], ['dead', 1]);
      assert.equal(f.accepted('refused'), 0);
      assert.equal(t.outbox.deadLetters().find((d) => d.id === id)?.attempts, 1);
    });
  });
}

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
