// A writer process is killed with SIGKILL, several times over the same log: from outside at a random moment,
// and from inside a segment write it has only half done (a torn write, every time). Every batch it reported
// as written must be there afterwards, in order, and no torn record may be returned.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Wal, type WalCompression, type WalFsyncPolicy } from './index.ts';
import { crashRecord, readAll, recordingLogger } from './testing.ts';

const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vigil-wal-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));

const testing = new URL('./testing.ts', import.meta.url).href;
const CHILD_LIMIT_MS = 30_000;

/**
 * How a round ends: SIGKILL from the test once `afterLines` batches were reported (plus 0–10 ms), or from the
 * child itself in the middle of a segment write, after half of its bytes: the first write from the
 * `insideWrite`-th on whose second half holds record bytes (not just page padding).
 */
type Kill = { afterLines: number } | { insideWrite: number };

interface Round {
  readonly kill: Kill;
  /** The last batch number the child printed in full before it died; -1 for none. */
  readonly lastReported: number;
  /** Torn tails the child's open() repaired (left by the round before). */
  readonly repaired: number;
}

// Runs before the log's modules load, so that their `writeSync` is the wrapped one.
const tearWrite = (n: number) => `
  const fs = require('node:fs');
  const write = fs.writeSync;
  let calls = 0;
  fs.writeSync = function (fd, buf, off, len, pos) {
    if (fd > 2 && ++calls >= ${n} && buf.subarray(off + (len >> 1), off + len).some((b) => b !== 0)) {
      write(fd, buf, off, Math.floor(len / 2), pos);
      process.kill(process.pid, 'SIGKILL');
    }
    return write.apply(this, arguments);
  };
  require('node:module').syncBuiltinESMExports();`;

function runRound(dir: string, round: number, fsync: WalFsyncPolicy, compression: WalCompression, kill: Kill) {
  const args = [JSON.stringify(dir), round, `'${fsync}'`, `'${compression}'`].join(', ');
  const code = `${'insideWrite' in kill ? tearWrite(kill.insideWrite) : ''}
    import(${JSON.stringify(testing)}).then((m) => m.runCrashWriter(${args}));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  let killing = 'insideWrite' in kill;
  const guard = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
  return new Promise<Round>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killing && 'afterLines' in kill && out.split('\n').length - 1 >= kill.afterLines) {
        killing = true;
        // Delayed at random past the print, so that the kill lands anywhere in the child's loop.
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 10);
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(guard);
      if (!killing || signal !== 'SIGKILL') {
        reject(new Error(`round ${round}: the writer did not die as planned (signal ${signal}): ${stderr}`));
        return;
      }
      const lines = out.split('\n').slice(0, -1);
      const bad = lines.findIndex((l, i) => Number(l) !== i);
      if (bad >= 0) {
        reject(new Error(`round ${round}: line ${bad} is ${JSON.stringify(lines[bad])}, not the batch number ${bad}`));
        return;
      }
      const repaired = Number(/corruptions=(\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ kill, lastReported: lines.length - 1, repaired });
    });
  });
}

const randomInt = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

describe('crash safety', () => {
  it('keeps every reported batch, in order, across SIGKILLs at random moments and inside writes', async (t) => {
    const dir = join(root, 'wal');
    const setups: [WalFsyncPolicy, WalCompression, Kill][] = [
      ['never', 'none', { afterLines: randomInt(1, 100) }],
      ['segment', 'snappy', { insideWrite: randomInt(5, 300) }],
      ['always', 'none', { afterLines: randomInt(1, 100) }],
      ['never', 'none', { insideWrite: randomInt(5, 300) }],
      ['segment', 'snappy', { afterLines: randomInt(1, 100) }],
      ['never', 'none', { afterLines: randomInt(1, 100) }],
    ];
    const rounds: Round[] = [];
    for (let r = 0; r < setups.length; r++) {
      const [fsync, compression, kill] = setups[r] as [WalFsyncPolicy, WalCompression, Kill];
      rounds.push(await runRound(dir, r, fsync, compression, kill));
    }
    const context = `rounds ${JSON.stringify(rounds)}`;

    // Open as the next run would: the tail torn by the last kill is repaired.
    const wal = await Wal.open({ dir, logger: recordingLogger(), fsync: 'never' });
    const repaired = rounds.slice(1).reduce((n, r) => n + r.repaired, wal.stats().corruptionsTotal);
    await wal.close();
    t.diagnostic(`${rounds.length} kills, ${repaired} torn tails repaired; ${context}`);
    // The kills inside a write tear the record being written (unless half the write ends on a record boundary).
    assert.ok(repaired >= 1, `${context}: a torn tail was repaired`);

    const { records, err } = readAll(dir);
    assert.equal(err, null, `${context}: ${String(err)}`);
    let at = 0;
    const expectRecord = (round: number, batch: number, i: number, n: number) => {
      const got = records[at];
      assert.ok(got !== undefined, `${context}: record ${at} (round ${round} batch ${batch}.${i}) is missing`);
      assert.ok(
        Buffer.from(got).equals(Buffer.from(crashRecord(round, batch, i, n))),
        `${context}: record ${at} is not round ${round} batch ${batch}.${i}`,
      );
      at++;
    };
    for (let r = 0; r < rounds.length; r++) {
      const { lastReported } = rounds[r] as Round;
      for (let b = 0; b <= lastReported; b++) {
        const n = 1 + (b % 3);
        for (let i = 0; i < n; i++) expectRecord(r, b, i, n);
      }
      // The batch in flight when the kill came may have left a prefix of its records, whole.
      const b = lastReported + 1;
      const n = 1 + (b % 3);
      for (let i = 0; i < n && records[at]?.[0] === r; i++) expectRecord(r, b, i, n);
    }
    assert.equal(at, records.length, `${context}: ${records.length - at} records beyond what was written`);
  });
});
