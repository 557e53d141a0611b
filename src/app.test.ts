import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyConfig, type Module } from './app.ts';
import { type Config, parseConfig } from './config/index.ts';

describe('applyConfig', () => {
  const prev = parseConfig('server:\n  log_level: info\n');
  const next = parseConfig('server:\n  log_level: debug\n');

  function recorder(name: string, failOn?: Config): Module & { seen: string[] } {
    const seen: string[] = [];
    return {
      name,
      seen,
      start() {},
      stop() {},
      reload(c: Config) {
        if (c === failOn) throw new Error(`${name} cannot apply it`);
        seen.push(c.server.log_level);
      },
    };
  }

  it('gives the new config to every module in order', async () => {
    const a = recorder('a');
    const b = recorder('b');
    assert.equal(await applyConfig([a, b], prev, next), undefined);
    assert.deepEqual([a.seen, b.seen], [['debug'], ['debug']]);
  });

  it('gives the old config back to the modules already reloaded when one fails', async () => {
    const a = recorder('a');
    const b = recorder('b');
    const c = recorder('c', next);
    const d = recorder('d');
    const failure = await applyConfig([a, b, c, d], prev, next);
    assert.equal(failure?.module, 'c');
    assert.equal(failure?.error.message, 'c cannot apply it');
    assert.deepEqual([a.seen, b.seen, c.seen, d.seen], [['debug', 'info'], ['debug', 'info'], [], []]);
  });
});
