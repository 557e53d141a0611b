import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intern } from './intern.ts';

test('intern returns an equal string', () => {
  const text = `SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 1" ${'x'.repeat(1000)}`;
  for (const s of [text.slice(11, 35), '', '0', '42', '__proto__', 'constructor', 'héllo', text]) {
    assert.equal(intern(s), s);
  }
});
