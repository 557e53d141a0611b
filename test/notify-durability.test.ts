// A process that enqueued notifications is killed with SIGKILL before any is delivered; a new Outbox on the
// same database delivers each exactly once, in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SlackLikeServer, slackAnswers } from '../src/notify/testing.ts';
import { openOutbox } from './support/notify.ts';

describe('notify: durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-notify-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers after kill -9 what the killed process had enqueued, once each, in order', async () => {
    const slack = await SlackLikeServer.start();
    try {
      const url = slack.url('T0/B0/durable');
      slack.answerWith(url, slackAnswers.serverError);
      const count = 20;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('./support/notify-enqueue.ts', import.meta.url).pathname, dir, url, String(count)],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('enqueued') && resolve());
        child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
      });
      await slack.until(() => slack.requests.length >= 2); // it was trying, and failing
      child.kill('SIGKILL');
      await exited;
      assert.equal(slack.received.length, 0);

      slack.answerWith(url, slackAnswers.ok);
      const t = openOutbox({ slackRatePerSecond: 0 }, dir);
      try {
        assert.equal(t.outbox.depth(), count);
        t.outbox.start();
        await slack.until(() => slack.received.length >= count);
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(
          slack.received.map((m) => m.body.text),
          Array.from({ length: count }, (_, i) => `message ${i + 1}`),
        );
        assert.equal(t.outbox.depth(), 0);
      } finally {
        await t.close();
      }
    } finally {
      await slack.close();
    }
  });
});
