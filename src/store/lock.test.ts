import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataDirError, DataDirLockedError } from './errors.ts';
import { DataDirLock } from './lock.ts';

describe('DataDirLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a directory held by a live process, and takes it over once that process is killed', async () => {
    const held = join(dir, 'held');
    const lockModule = new URL('./lock.ts', import.meta.url).href;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(lockModule)}).then((m) => { m.DataDirLock.acquire(${JSON.stringify(held)}); console.log('locked'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    assert.throws(
      () => DataDirLock.acquire(held),
      (err: unknown) => {
        assert.ok(err instanceof DataDirLockedError);
        assert.equal(err.pid, child.pid);
        assert.match(err.message, /is in use by another vigil \(pid \d+\)/);
        return true;
      },
    );
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    const lock = DataDirLock.acquire(held);
    assert.match(readFileSync(join(held, 'lock'), 'utf8'), new RegExp(`^${process.pid} \\d+\n$`));
    lock.release();
    lock.release();
  });

  it('treats a lock with garbage, a dead pid or a reused pid as stale', () => {
    const d = join(dir, 'stale');
    DataDirLock.acquire(d).release();
    writeFileSync(join(d, 'lock'), 'not a pid');
    DataDirLock.acquire(d).release();
    writeFileSync(join(d, 'lock'), '2147483646 12345\n');
    DataDirLock.acquire(d).release();
    // pid 1 runs, but not since that tick: the pid now belongs to another process.
    writeFileSync(join(d, 'lock'), '1 999999999999\n');
    DataDirLock.acquire(d).release();
  });

  it('reports a data directory that cannot be created', () => {
    writeFileSync(join(dir, 'file'), '');
    assert.throws(
      () => DataDirLock.acquire(join(dir, 'file', 'data')),
      (err: unknown) => {
        assert.ok(err instanceof DataDirError);
        assert.match(err.message, /cannot create it: a path component is not a directory/);
        return true;
      },
    );
  });
});
