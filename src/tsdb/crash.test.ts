// The database is killed with SIGKILL at random moments, several rounds over one directory: while it appends,
// and while it also compacts its head into blocks, checkpoints its WAL and merges blocks. After every kill the
// directory must open without error logs, with every batch the writer reported as committed, exact, once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../log/index.ts';
import { compareLabels, type Labels, Matcher } from '../model/index.ts';
import { Tsdb } from './db.ts';
import {
  batchOfTime,
  CRASH_BLOCK_RANGE_MS,
  CRASH_CHURN_BATCHES,
  CRASH_SAMPLES_PER_BATCH,
  CRASH_STEADY_SERIES,
  CRASH_WAL_SEGMENT_BYTES,
  type CrashWriterConfig,
  churnLabels,
  churnValue,
  nextBatch,
  sampleTimeMs,
  steadyLabels,
  steadyValue,
} from './testdata/crash-writer.ts';
import type { WalFsyncPolicy } from './wal/index.ts';

const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vigil-tsdb-crash-'));
const children = new Set<ChildProcess>();
after(async () => {
  await Promise.all([...children].map((c) => killAndWait(c)));
  rmSync(root, { recursive: true, force: true });
});

const writer = fileURLToPath(new URL('./testdata/crash-writer.ts', import.meta.url));
const CHILD_LIMIT_MS = 20_000;

function killAndWait(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
  const done = new Promise<void>((resolve) => c.once('close', () => resolve()));
  c.kill('SIGKILL');
  return done;
}

interface RoundSetup {
  walFsync: WalFsyncPolicy;
  compact: boolean;
  /** Kill once this many batches were reported, plus a random 0–20 ms. */
  killAfter: number;
}

interface Round extends RoundSetup {
  /** The first batch the writer wrote (it found the data ending just before). */
  start: number;
  /** The last batch it reported committed; start - 1 for none. */
  lastReported: number;
  stderr: string;
}

function runRound(dir: string, setup: RoundSetup): Promise<Round> {
  const config: CrashWriterConfig = { dir, walFsync: setup.walFsync, compact: setup.compact, maxBatches: 100_000 };
  const child = spawn(process.execPath, ['--import', 'tsx', writer, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let stderr = '';
  let killing = false;
  const guard = setTimeout(() => child.kill('SIGKILL'), CHILD_LIMIT_MS);
  return new Promise<Round>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // The `start` line, then one line per batch.
      if (!killing && out.split('\n').length - 2 >= setup.killAfter) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 20);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      children.delete(child);
      const context = `${JSON.stringify(setup)}: exit ${code} signal ${signal}; stderr:\n${stderr}`;
      if (!killing || signal !== 'SIGKILL') {
        reject(new Error(`the writer did not die as planned; ${context}`));
        return;
      }
      const lines = out.split('\n').slice(0, -1);
      const start = Number(/^start (\d+)$/.exec(lines[0] ?? '')?.[1] ?? Number.NaN);
      if (!Number.isSafeInteger(start)) {
        reject(new Error(`no start line in ${JSON.stringify(out.slice(0, 200))}; ${context}`));
        return;
      }
      const batches = lines.slice(1);
      const bad = batches.findIndex((l, i) => Number(l) !== start + i);
      if (bad >= 0) {
        reject(new Error(`line ${bad + 1} is ${JSON.stringify(batches[bad])}, not batch ${start + bad}; ${context}`));
        return;
      }
      resolve({ ...setup, start, lastReported: start + batches.length - 1, stderr });
    });
  });
}

interface LogLine {
  level: string;
  msg: string;
  line: string;
}

function recordingLogger() {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    write: (line) => {
      const { level, msg } = JSON.parse(line) as { level: string; msg: string };
      lines.push({ level, msg, line: line.trimEnd() });
    },
  });
  return { logger, lines };
}

const openDb = (dir: string, logger: ReturnType<typeof recordingLogger>['logger']) =>
  Tsdb.open({ dir, logger, blockRangeMs: CRASH_BLOCK_RANGE_MS, walSegmentBytes: CRASH_WAL_SEGMENT_BYTES });

/** Every crash series, sorted, with its samples: `[labels, [[t, v], …]]`. */
function readAll(db: Tsdb): Array<[Labels, Array<[number, number]>]> {
  const q = db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  try {
    const set = q.select(true, undefined, [Matcher.create('=~', '__name__', 'vigil_crash.*')]);
    const out: Array<[Labels, Array<[number, number]>]> = [];
    while (set.next()) {
      const s = set.at();
      const c = s.cursor();
      const samples: Array<[number, number]> = [];
      while (c.next()) samples.push([c.atT(), c.atV()]);
      assert.equal(c.err(), null, `reading ${s.labels}`);
      out.push([s.labels, samples]);
    }
    assert.equal(set.err(), null);
    return out;
  } finally {
    q.close();
  }
}

/** What the rounds so far promise: batches reported committed must be there; each round's next batch may be. */
function ledger(rounds: readonly Round[]): { required: Set<number>; optional: Set<number> } {
  const required = new Set<number>();
  const optional = new Set<number>();
  for (const r of rounds) {
    for (let b = r.start; b <= r.lastReported; b++) required.add(b);
    optional.add(r.lastReported + 1);
  }
  for (const b of required) optional.delete(b);
  return { required, optional };
}

/**
 * Checks the database's crash series against the ledger: the steady series and one churn series per batch
 * generation that has data, sorted; each sample exact, strictly increasing in time; every sample of every
 * required batch there, and samples of no batch beyond required and optional ones. Returns which optional
 * batches were found whole, in part and not at all, and the first batch not in the data.
 */
function check(db: Tsdb, rounds: readonly Round[], context: string) {
  const { required, optional } = ledger(rounds);
  const got = readAll(db);
  for (let i = 1; i < got.length; i++) {
    assert.ok(compareLabels(got[i - 1]?.[0] as Labels, got[i]?.[0] as Labels) < 0, `${context}: series order`);
  }
  const expected = new Map<string, Array<{ batch: number; t: number; v: number }>>();
  const add = (labels: Labels, batch: number, t: number, v: number) => {
    const key = labels.toString();
    expected.set(key, [...(expected.get(key) ?? []), { batch, t, v }]);
  };
  const batches = [...required, ...optional].sort((a, b) => a - b);
  for (const b of batches) {
    for (let i = 0; i < CRASH_STEADY_SERIES; i++) {
      for (let k = 0; k < CRASH_SAMPLES_PER_BATCH; k++)
        add(steadyLabels(i), b, sampleTimeMs(b, k), steadyValue(b, i, k));
    }
    add(churnLabels(Math.floor(b / CRASH_CHURN_BATCHES)), b, sampleTimeMs(b, 1), churnValue(b));
  }
  // Per optional batch: samples expected, samples found.
  const inFlight = new Map<number, { want: number; found: number }>();
  for (const b of optional) inFlight.set(b, { want: CRASH_STEADY_SERIES * CRASH_SAMPLES_PER_BATCH + 1, found: 0 });
  let newest = -1;
  for (const [labels, samples] of got) {
    const key = labels.toString();
    const want = expected.get(key);
    assert.ok(want !== undefined, `${context}: unexpected series ${key} (${samples.length} samples)`);
    let at = 0;
    for (let j = 0; j < samples.length; j++) {
      const [t, v] = samples[j] as [number, number];
      if (j > 0)
        assert.ok(t > (samples[j - 1]?.[0] as number), `${context}: ${key} sample ${j} at ${t} not after the last`);
      // Expected samples before this one were lost: allowed only for the in-flight batches.
      while (at < want.length && (want[at] as { t: number }).t < t) {
        const w = want[at] as { batch: number; t: number };
        assert.ok(!required.has(w.batch), `${context}: ${key} lost committed batch ${w.batch} (t=${w.t})`);
        at++;
      }
      const w = want[at];
      assert.ok(
        w !== undefined && w.t === t,
        `${context}: ${key} has a sample at ${t} (batch ${batchOfTime(t)}) that no batch wrote`,
      );
      assert.ok(Object.is(v, w.v), `${context}: ${key} at ${t} (batch ${w.batch}) is ${v}, not ${w.v}`);
      const flight = inFlight.get(w.batch);
      if (flight) flight.found++;
      if (w.batch > newest) newest = w.batch;
      at++;
    }
    for (; at < want.length; at++) {
      const w = want[at] as { batch: number; t: number };
      assert.ok(!required.has(w.batch), `${context}: ${key} lost committed batch ${w.batch} (t=${w.t}) at the end`);
    }
  }
  // Series with no sample at all: a required batch's series must exist.
  const seen = new Set(got.map(([l]) => l.toString()));
  for (const [key, want] of expected) {
    if (!seen.has(key)) {
      assert.ok(
        want.every((w) => !required.has(w.batch)),
        `${context}: series ${key} is missing (batches ${want.map((w) => w.batch).join(',')})`,
      );
    }
  }
  const flights = [...inFlight].map(
    ([b, f]) => `${b}:${f.found === 0 ? 'absent' : f.found === f.want ? 'whole' : `part ${f.found}/${f.want}`}`,
  );
  return { next: newest + 1, flights };
}

const randomInt = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));
const problems = (lines: readonly LogLine[], levels: readonly string[]) =>
  lines.filter((l) => levels.includes(l.level)).map((l) => l.line);

describe('Tsdb crash safety', () => {
  it('keeps every committed batch exact across SIGKILLs while appending and compacting', {
    timeout: 50_000,
  }, async (t) => {
    const dir = join(root, 'db');
    const setups: RoundSetup[] = [
      { walFsync: 'segment', compact: false, killAfter: randomInt(40, 120) },
      { walFsync: 'segment', compact: true, killAfter: randomInt(30, 150) },
      { walFsync: 'always', compact: true, killAfter: randomInt(20, 120) },
      { walFsync: 'never', compact: false, killAfter: randomInt(1, 60) },
      { walFsync: 'segment', compact: true, killAfter: randomInt(1, 80) },
      { walFsync: 'always', compact: false, killAfter: randomInt(1, 60) },
      { walFsync: 'segment', compact: true, killAfter: randomInt(60, 200) },
    ];
    const rounds: Round[] = [];
    let next = 0;
    for (const setup of setups) {
      const round = await runRound(dir, setup);
      rounds.push(round);
      const context = `after round ${rounds.length} of ${JSON.stringify(rounds.map(({ stderr, ...r }) => r))}`;
      assert.equal(round.start, next, `${context}: the writer continued from where the data ends`);
      assert.deepEqual(
        round.stderr.split('\n').filter((l) => /"level":"error"|failed/.test(l)),
        [],
        `${context}: the writer logged errors`,
      );
      const { logger, lines } = recordingLogger();
      const db = await openDb(dir, logger);
      try {
        const result = check(db, rounds, context);
        assert.equal(nextBatch(db), result.next);
        next = result.next;
        t.diagnostic(
          `round ${rounds.length}: ${round.start}..${round.lastReported} reported, in flight ${result.flights.join(' ')}; ${db.blockMetas().length} blocks`,
        );
      } finally {
        await db.close();
      }
      assert.deepEqual(problems(lines, ['error']), [], `${context}: error logs on open`);
    }
    const context = `rounds ${JSON.stringify(rounds.map(({ stderr, ...r }) => r))}`;
    const crossed = Math.floor((next * CRASH_SAMPLES_PER_BATCH * 1000) / CRASH_BLOCK_RANGE_MS);
    assert.ok(crossed >= 10, `${context}: the data crosses ${crossed} block ranges`);

    // Compacting what the kills left (possibly overlapping blocks) keeps every sample; a clean close leaves a
    // directory that opens without a warning.
    {
      const { logger, lines } = recordingLogger();
      const db = await openDb(dir, logger);
      await db.compact();
      check(db, rounds, `${context}, compacted`);
      const metas = db.blockMetas();
      assert.ok(metas.length >= 2, `${context}: ${metas.length} blocks`);
      for (let i = 1; i < metas.length; i++) {
        assert.ok(
          (metas[i - 1]?.maxTime as number) <= (metas[i]?.minTime as number),
          `${context}: blocks overlap after compaction`,
        );
      }
      await db.close();
      assert.deepEqual(problems(lines, ['error']), [], `${context}: error logs`);
    }
    const { logger, lines } = recordingLogger();
    const db = await openDb(dir, logger);
    check(db, rounds, `${context}, reopened`);
    await db.close();
    assert.deepEqual(problems(lines, ['warn', 'error']), [], `${context}: a clean directory opens without warnings`);
  });
});
