import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeMrkdwn } from './mrkdwn.ts';

describe('escapeMrkdwn', () => {
  const cases: Array<[string, string]> = [
    ['plain *bold* _it_', 'plain *bold* _it_'],
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    ['<https://x|y>', '&lt;https://x|y&gt;'],
    ['&amp;', '&amp;amp;'],
    ['', ''],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(escapeMrkdwn(input), want));
});
