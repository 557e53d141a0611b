import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.ts';

describe('logger', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, write: (l: string) => lines.push(l) };
  };

  it('writes JSON records with bound fields and drops records under the level', () => {
    const out = capture();
    const log = createLogger({ level: 'info', write: out.write, now: () => 0 });
    log.debug('hidden');
    log.child({ component: 'store' }).info('opened', { path: 'data/vigil.db' });
    assert.equal(out.lines.length, 1);
    assert.deepEqual(JSON.parse(out.lines[0] as string), {
      ts: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'opened',
      component: 'store',
      path: 'data/vigil.db',
    });
  });

  it('changes level for children too', () => {
    const out = capture();
    const log = createLogger({ level: 'info', write: out.write });
    const child = log.child({ c: 1 });
    log.setLevel('debug');
    child.debug('now visible');
    assert.equal(out.lines.length, 1);
  });

  it('writes errors as their message and code, and a readable line for humans', () => {
    const out = capture();
    const log = createLogger({ format: 'human', write: out.write, now: () => 0 });
    const err = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    log.error('write failed', { err, file: 'a b' });
    assert.equal(out.lines[0], '00:00:00.000 ERROR write failed err="disk full (ENOSPC)" file="a b"\n');
  });
});
