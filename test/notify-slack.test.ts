// The outbox delivering to a Slack-like webhook server over loopback: content, retries, Retry-After, dead
// letters, per-destination order and the per-webhook rate limit.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidMessageError, type SlackPayload, UnsupportedSettingError } from '../src/notify/index.ts';
import { type SlackAnswer, SlackLikeServer, slackAnswers } from '../src/notify/testing.ts';
import { meta, metricValue, openOutbox, type TestOutbox } from './support/notify.ts';

describe('notify: Slack', () => {
  let slack: SlackLikeServer;
  let n = 0;
  /** A fresh webhook URL per use, so tests do not share destinations. */
  const hook = () => slack.url(`T0/B0/hook${++n}`);
  const opened: TestOutbox[] = [];
  const open = (o: Parameters<typeof openOutbox>[0] = {}) => {
    const t = openOutbox(o);
    opened.push(t);
    t.outbox.start();
    return t;
  };
  before(async () => {
    slack = await SlackLikeServer.start();
  });
  after(async () => {
    for (const t of opened) await t.close();
    await slack.close();
  });

  it('delivers the payload as posted, records it, and never shows the URL', async () => {
    const t = open();
    const url = hook();
    const body = {
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*[FIRING:1]* a &lt; b' } }],
      attachments: [{ color: 'danger', title: 't' }],
    };
    const id = t.outbox.enqueue({ kind: 'slack', url, body }, meta('slack/0', 'FIRING HighLatency'));
    await slack.until(() => slack.messagesTo(url).length === 1);
    const got = slack.messagesTo(url)[0];
    assert.deepEqual(got?.body, body);
    assert.equal(got?.headers['content-type'], 'application/json');
    assert.equal(got?.headers['user-agent'], 'vigil/test');
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.deepEqual(t.outbox.history(), [
      {
        id,
        channel: 'slack',
        meta: meta('slack/0', 'FIRING HighLatency'),
        time: t.outbox.history()[0]?.time,
        status: 'sent',
        attempts: 1,
        lastError: null,
      },
    ]);
    assert.equal(t.outbox.depth(), 0);
    assert.equal(
      await metricValue(t.registry, 'vigil_notifications_total', {
        channel: 'slack',
        receiver: 'ops',
        integration: 'slack/0',
      }),
      1,
    );
    assert.equal(await metricValue(t.registry, 'vigil_notification_outbox_depth'), 0);
    const exposed = await t.registry.metrics();
    assert.match(exposed, /vigil_notification_latency_seconds_count\{channel="slack",integration="slack\/0"\} 1/);
    for (const text of [exposed, t.logs.join(''), JSON.stringify(t.outbox.history())])
      assert.equal(text.includes(new URL(url).pathname), false);
  });

  it('backs off on 500 and then delivers, within the backoff bounds', async () => {
    const t = open({ retry: { initialMs: 200, maxMs: 1000 }, random: () => 0.5, slackRatePerSecond: 0 });
    const url = hook();
    slack.script(url, slackAnswers.serverError, slackAnswers.serverError);
    const id = t.outbox.enqueue({ kind: 'slack', url, body: { text: 'retry me' } }, meta());
    await slack.until(() => slack.messagesTo(url).length === 1);
    const times = slack.requests.filter((r) => r.path === new URL(url).pathname).map((r) => r.receivedAt);
    assert.equal(times.length, 3);
    const [a = 0, b = 0, c = 0] = times;
    // random 0.5: waits of 100 ms then 200 ms.
    assert.ok(b - a >= 90 && b - a < 600, `first backoff ${b - a} ms`);
    assert.ok(c - b >= 190 && c - b < 800, `second backoff ${c - b} ms`);
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(t.outbox.history()[0]?.id, id);
    assert.equal(t.outbox.history()[0]?.attempts, 3);
    assert.equal(
      await metricValue(t.registry, 'vigil_notifications_failed_total', {
        channel: 'slack',
        receiver: 'ops',
        integration: 'slack/0',
        reason: 'transient',
      }),
      2,
    );
    assert.ok(t.logs.some((l) => l.includes('will retry') && l.includes('500 internal_error')));
  });

  it('waits out a 429 for its Retry-After before the next attempt', async () => {
    const t = open({ retry: { initialMs: 10, maxMs: 5000 }, slackRatePerSecond: 0 });
    const url = hook();
    slack.script(url, slackAnswers.rateLimited(1));
    t.outbox.enqueue({ kind: 'slack', url, body: { text: 'slow down' } }, meta());
    await slack.until(() => slack.messagesTo(url).length === 1);
    const [first = 0, second = 0] = slack.requests
      .filter((r) => r.path === new URL(url).pathname)
      .map((r) => r.receivedAt);
    assert.ok(second - first >= 990, `retried after ${second - first} ms, before Retry-After`);
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(
      await metricValue(t.registry, 'vigil_notifications_failed_total', {
        channel: 'slack',
        receiver: 'ops',
        integration: 'slack/0',
        reason: 'rate_limited',
      }),
      1,
    );
  });

  const permanent: Array<[string, () => SlackAnswer | undefined, SlackPayload, string]> = [
    ['404 channel_not_found', () => slackAnswers.channelNotFound, { text: 'x' }, '404 channel_not_found'],
    ['410 channel_is_archived', () => slackAnswers.channelIsArchived, { text: 'x' }, '410 channel_is_archived'],
    ['403 action_prohibited', () => slackAnswers.actionProhibited, { text: 'x' }, '403 action_prohibited'],
    ['400 no_text (Slack validates the payload)', () => undefined, { text: '' }, '400 no_text'],
    ['400 invalid_blocks', () => undefined, { text: 'x', blocks: 'nope' as never }, '400 invalid_blocks'],
  ];
  for (const [name, answer, body, reason] of permanent) {
    it(`dead-letters ${name} at once; retryDeadLetter delivers once fixed`, async () => {
      const t = open({ retry: { initialMs: 10, maxMs: 20 } });
      const url = hook();
      const a = answer();
      if (a !== undefined) slack.script(url, a);
      const id = t.outbox.enqueue({ kind: 'slack', url, body }, meta('slack/1'));
      await waitFor(() => t.outbox.deadLetters().length === 1);
      const [dead] = t.outbox.deadLetters();
      assert.equal(dead?.id, id);
      assert.equal(dead?.reason, reason);
      assert.equal(dead?.attempts, 1);
      assert.deepEqual(dead?.meta, meta('slack/1'));
      assert.equal(t.outbox.depth(), 0);
      assert.equal(await metricValue(t.registry, 'vigil_notification_dead_letters'), 1);
      assert.equal(t.outbox.history()[0]?.status, 'dead');
      await sleep(100);
      assert.equal(slack.requests.filter((r) => r.path === new URL(url).pathname).length, 1, 'not retried');
      if (a === undefined) {
        assert.equal(t.outbox.discardDeadLetter(id), true);
        assert.equal(t.outbox.discardDeadLetter(id), false);
        assert.deepEqual(t.outbox.deadLetters(), []);
        return;
      }
      assert.equal(t.outbox.retryDeadLetter(id), true);
      assert.equal(t.outbox.retryDeadLetter(id), false, 'no longer dead');
      await slack.until(() => slack.messagesTo(url).length === 1);
      await waitFor(() => t.outbox.history()[0]?.status === 'sent');
      assert.deepEqual(t.outbox.deadLetters(), []);
      assert.equal(t.outbox.history()[0]?.attempts, 1, 'attempts restart with the retry');
    });
  }

  it('keeps order per destination: one in backoff holds back its own later messages, not others', async () => {
    const t = open({ retry: { initialMs: 300, maxMs: 300 }, random: () => 0.999, slackRatePerSecond: 50 });
    const a = hook();
    const b = hook();
    slack.script(a, slackAnswers.serverError, slackAnswers.serverError);
    for (const i of [1, 2, 3]) {
      t.outbox.enqueue({ kind: 'slack', url: a, body: { text: `a${i}` } }, meta());
      t.outbox.enqueue({ kind: 'slack', url: b, body: { text: `b${i}` } }, meta());
    }
    await slack.until(() => slack.messagesTo(b).length === 3);
    assert.equal(slack.messagesTo(a).length, 0, 'a1 in backoff holds a2 and a3 back while b delivers');
    await slack.until(() => slack.messagesTo(a).length === 3);
    assert.deepEqual(
      slack.messagesTo(a).map((m) => m.body.text),
      ['a1', 'a2', 'a3'],
    );
    assert.deepEqual(
      slack.messagesTo(b).map((m) => m.body.text),
      ['b1', 'b2', 'b3'],
    );
    const firstA = slack.messagesTo(a)[0]?.receivedAt ?? 0;
    assert.ok((slack.messagesTo(b)[2]?.receivedAt ?? 0) < firstA);
  });

  it('keeps order per stream of one destination: a stream in backoff does not hold back another', async () => {
    const t = open({ retry: { initialMs: 300, maxMs: 300 }, random: () => 0.999, slackRatePerSecond: 50 });
    const a = hook();
    slack.script(a, slackAnswers.serverError);
    for (const i of [1, 2, 3]) {
      t.outbox.enqueue({ kind: 'slack', url: a, body: { text: `x${i}` } }, { ...meta(), stream: 'x' });
      t.outbox.enqueue({ kind: 'slack', url: a, body: { text: `y${i}` } }, { ...meta(), stream: 'y' });
    }
    await slack.until(() => slack.messagesTo(a).length === 6);
    const texts = slack.messagesTo(a).map((m) => m.body.text as string);
    assert.deepEqual(texts.slice(0, 3), ['y1', 'y2', 'y3'], 'x1 in backoff held back x2 and x3, not y');
    assert.deepEqual(texts.slice(3), ['x1', 'x2', 'x3']);
    const times = slack.messagesTo(a).map((m) => m.receivedAt);
    for (let i = 1; i < times.length; i++) {
      assert.ok((times[i] ?? 0) - (times[i - 1] ?? 0) >= 15, 'the rate limit holds across streams');
    }
  });

  it('sends at most one message per second to one Slack webhook, other webhooks unaffected', async () => {
    const t = open();
    const a = hook();
    const b = hook();
    for (const i of [1, 2, 3]) t.outbox.enqueue({ kind: 'slack', url: a, body: { text: `a${i}` } }, meta());
    t.outbox.enqueue({ kind: 'slack', url: b, body: { text: 'b1' } }, meta());
    await slack.until(() => slack.messagesTo(a).length === 3, 5000);
    const times = slack.messagesTo(a).map((m) => m.receivedAt);
    for (let i = 1; i < times.length; i++) {
      const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
      assert.ok(gap >= 990 && gap < 1500, `gap ${gap} ms`);
    }
    const bAt = slack.messagesTo(b)[0]?.receivedAt ?? 0;
    assert.ok(bAt - (times[0] ?? 0) < 500, 'the other webhook is not held back');
  });

  it('retries a Slack webhook that does not answer, after the request timeout', async () => {
    const t = open({ timeoutMs: 300, retry: { initialMs: 10, maxMs: 20 }, slackRatePerSecond: 0 });
    const url = hook();
    slack.script(url, slackAnswers.hang);
    const started = Date.now();
    t.outbox.enqueue({ kind: 'slack', url, body: { text: 'late' } }, meta());
    await slack.until(() => slack.messagesTo(url).length === 1);
    assert.ok(Date.now() - started >= 290);
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(t.outbox.history()[0]?.attempts, 2);
  });

  it('dead-letters a message that keeps failing past its max age', async () => {
    const t = open({ retry: { initialMs: 50, maxMs: 50, maxAgeMs: 300 }, slackRatePerSecond: 0 });
    const url = hook();
    slack.answerWith(url, slackAnswers.serverError);
    t.outbox.enqueue({ kind: 'slack', url, body: { text: 'doomed' } }, meta());
    await waitFor(() => t.outbox.deadLetters().length === 1, 3000);
    assert.match(t.outbox.deadLetters()[0]?.reason ?? '', /^gave up after \d+ attempts: 500 internal_error$/);
  });

  it('close() waits for an attempt in flight only up to closeTimeoutMs, and leaves the message pending', async () => {
    const t = openOutbox({ timeoutMs: 10_000, closeTimeoutMs: 200 });
    opened.push(t);
    t.outbox.start();
    const url = hook();
    slack.script(url, slackAnswers.hang);
    t.outbox.enqueue({ kind: 'slack', url, body: { text: 'stuck' } }, meta());
    await slack.until(() => slack.requests.some((r) => r.path === new URL(url).pathname));
    const started = Date.now();
    await t.outbox.close();
    const took = Date.now() - started;
    assert.ok(took >= 190 && took < 2000, `close took ${took} ms`);
    await t.outbox.close();
    assert.equal(t.outbox.depth(), 1, 'still pending, for the next start');
    assert.deepEqual(t.outbox.history(), [], 'a canceled attempt is not recorded');
  });

  it('refuses at enqueue what it could never deliver', () => {
    const t = open();
    assert.throws(
      () =>
        t.outbox.enqueue(
          { kind: 'slack', url: hook(), body: { text: 'x' }, http: { proxy_url: 'socks5://p:1080' } },
          meta(),
        ),
      UnsupportedSettingError,
    );
    assert.throws(
      () => t.outbox.enqueue({ kind: 'slack', url: 'not a url', body: { text: 'x' } }, meta()),
      InvalidMessageError,
    );
    assert.throws(
      () => t.outbox.enqueue({ kind: 'slack', url: hook(), body: { text: 'x' } }, { source: 'test' } as never),
      /meta\.receiver: expected a string/,
    );
    assert.equal(t.outbox.depth(), 0);
  });

  it('enqueues inside the caller transaction: a rollback sends nothing', async () => {
    const t = open({ slackRatePerSecond: 0 });
    const url = hook();
    assert.throws(
      t.store.db.transaction(() => {
        t.outbox.enqueue({ kind: 'slack', url, body: { text: 'rolled back' } }, meta());
        throw new Error('caller fails');
      }),
      /caller fails/,
    );
    t.store.db.transaction(() => t.outbox.enqueue({ kind: 'slack', url, body: { text: 'committed' } }, meta()))();
    await slack.until(() => slack.messagesTo(url).length === 1);
    await sleep(100);
    assert.deepEqual(
      slack.messagesTo(url).map((m) => m.body.text),
      ['committed'],
    );
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
