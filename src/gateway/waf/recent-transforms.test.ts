import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentTransforms } from './recent-transforms.ts';

test('RecentTransforms keeps results by chain and value, and not for long values', () => {
  const r = new RecentTransforms(8, 100);
  r.set(0, 'a', 'A');
  r.set(3, 'a', 'a3');
  r.set(0, 'too long value', 'x');
  assert.equal(r.get(0, 'a'), 'A');
  assert.equal(r.get(3, 'a'), 'a3');
  assert.equal(r.get(1, 'a'), undefined);
  assert.equal(r.get(0, 'too long value'), undefined);
});

test('RecentTransforms holds at most maxEntries', () => {
  const max = 8;
  const r = new RecentTransforms(16, max);
  for (let i = 0; i < 100; i++) r.set(i % 3, `v${i}`, `V${i}`);
  let kept = 0;
  for (let i = 0; i < 100; i++) if (r.get(i % 3, `v${i}`) !== undefined) kept++;
  assert.ok(kept <= max, `${kept} kept`);
  assert.equal(r.get(99 % 3, 'v99'), 'V99');
});
