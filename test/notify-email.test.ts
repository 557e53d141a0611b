// The outbox delivering email to an SMTP server on loopback: STARTTLS with a self-signed certificate, AUTH,
// the parsed message, and SMTP reply codes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { Secret } from '../src/config/index.ts';
import type { Message, SmtpSettings } from '../src/notify/index.ts';
import { meta, metricValue, openOutbox, type TestOutbox } from './support/notify.ts';

interface Delivered {
  mail: ParsedMail;
  session: SMTPServerSession;
  secure: boolean;
}

describe('notify: email', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-smtp-'));
  let server: SMTPServer;
  let port: number;
  let cert: string;
  const delivered: Delivered[] = [];
  const rcptAttempts = new Map<string, number>();
  const opened: TestOutbox[] = [];
  const open = (o: Parameters<typeof openOutbox>[0] = {}) => {
    const t = openOutbox({ retry: { initialMs: 50, maxMs: 100 }, ...o });
    opened.push(t);
    t.outbox.start();
    return t;
  };
  const smtp = (): SmtpSettings => ({
    smarthost: { host: 'localhost', port },
    hello: 'vigil.test',
    requireTls: true,
    username: 'alertmanager',
    password: new Secret('s3cret'),
    tls: { ca: cert },
  });

  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = new SMTPServer({
      key: readFileSync(join(dir, 'key.pem')),
      cert,
      authMethods: ['PLAIN', 'LOGIN'],
      logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'alertmanager' && auth.password === 's3cret') cb(null, { user: auth.username });
        else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(address, _session, cb) {
        const seen = (rcptAttempts.get(address.address) ?? 0) + 1;
        rcptAttempts.set(address.address, seen);
        if (address.address.startsWith('nobody'))
          return cb(Object.assign(new Error('No such user here'), { responseCode: 550 }));
        if (address.address.startsWith('greylisted') && seen === 1)
          return cb(Object.assign(new Error('Greylisted, try again later'), { responseCode: 451 }));
        cb();
      },
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((mail) => {
            delivered.push({ mail, session, secure: session.secure });
            cb();
          })
          .catch(cb);
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });
  after(async () => {
    for (const t of opened) await t.close();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends over STARTTLS with AUTH: from, to, subject, html, text and headers arrive', async () => {
    const t = open();
    const message: Message = {
      kind: 'email',
      smtp: smtp(),
      from: 'Vigil <vigil@example.org>',
      to: 'ops@example.org',
      subject: '[FIRING:1] HighLatency eu1',
      html: '<h1>HighLatency</h1><p>p99 &gt; 1s</p>',
      text: 'HighLatency: p99 > 1s',
      headers: { 'X-Vigil-Receiver': 'team-mail' },
    };
    t.outbox.enqueue(message, meta('email/0'));
    await waitFor(() => delivered.some((d) => d.mail.subject === '[FIRING:1] HighLatency eu1'));
    const d = delivered.find((x) => x.mail.subject === '[FIRING:1] HighLatency eu1');
    assert.ok(d);
    assert.equal(d.secure, true, 'upgraded with STARTTLS');
    assert.equal(d.session.user, 'alertmanager');
    assert.equal(d.session.hostNameAppearsAs, 'vigil.test');
    assert.equal(d.mail.from?.text, '"Vigil" <vigil@example.org>');
    assert.equal(Array.isArray(d.mail.to) ? '' : d.mail.to?.text, 'ops@example.org');
    assert.equal(d.mail.html, '<h1>HighLatency</h1><p>p99 &gt; 1s</p>');
    assert.equal(d.mail.text?.trim(), 'HighLatency: p99 > 1s');
    assert.equal(d.mail.headers.get('x-vigil-receiver'), 'team-mail');
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(
      await metricValue(t.registry, 'vigil_notifications_total', {
        channel: 'email',
        receiver: 'ops',
        integration: 'email/0',
      }),
      1,
    );
    assert.equal((t.logs.join('') + JSON.stringify(t.outbox.history())).includes('s3cret'), false);
  });

  it('dead-letters a 550 reply at once', async () => {
    const t = open();
    const id = t.outbox.enqueue(
      { kind: 'email', smtp: smtp(), from: 'vigil@example.org', to: 'nobody@example.org', subject: 'x', text: 'x' },
      meta('email/1'),
    );
    await waitFor(() => t.outbox.deadLetters().length === 1);
    const [dead] = t.outbox.deadLetters();
    assert.equal(dead?.id, id);
    assert.match(dead?.reason ?? '', /^550 No such user here/);
    assert.equal(rcptAttempts.get('nobody@example.org'), 1);
  });

  it('retries a 451 reply and delivers', async () => {
    const t = open();
    t.outbox.enqueue(
      {
        kind: 'email',
        smtp: smtp(),
        from: 'vigil@example.org',
        to: 'greylisted@example.org',
        subject: 'grey',
        text: 'x',
      },
      meta('email/2'),
    );
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(rcptAttempts.get('greylisted@example.org'), 2);
    assert.equal(t.outbox.history()[0]?.attempts, 2);
    assert.ok(delivered.some((d) => d.mail.subject === 'grey'));
  });

  it('dead-letters wrong credentials (535)', async () => {
    const t = open();
    t.outbox.enqueue(
      {
        kind: 'email',
        smtp: { ...smtp(), password: 'wrong' },
        from: 'vigil@example.org',
        to: 'ops@example.org',
        subject: 'x',
      },
      meta('email/3'),
    );
    await waitFor(() => t.outbox.deadLetters().length === 1);
    assert.match(t.outbox.deadLetters()[0]?.reason ?? '', /535/);
  });

  it('keeps retrying when the server certificate is not trusted', async () => {
    const t = open({ retry: { initialMs: 50, maxMs: 50, maxAgeMs: 300 } });
    t.outbox.enqueue(
      { kind: 'email', smtp: { ...smtp(), tls: {} }, from: 'vigil@example.org', to: 'ops@example.org', subject: 'x' },
      meta('email/4'),
    );
    await waitFor(() => t.outbox.deadLetters().length === 1, 4000);
    assert.match(t.outbox.deadLetters()[0]?.reason ?? '', /^gave up after \d+ attempts: .*self[- ]signed/);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
