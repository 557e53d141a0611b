import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHostPort } from './host-port.ts';

describe('parseHostPort', () => {
  const cases: Array<[string, { host: string; port: number } | undefined]> = [
    ['127.0.0.1:9090', { host: '127.0.0.1', port: 9090 }],
    ['[::1]:9090', { host: '::1', port: 9090 }],
    [':9090', { host: '', port: 9090 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['localhost:65536', undefined],
    ['localhost', undefined],
    ['::1:9090', undefined],
    ['http://x:1', undefined],
    ['a b:1', undefined],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.deepEqual(parseHostPort(text), want));
});
