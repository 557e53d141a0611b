import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { killAndWait } from '../cgroup/testing.ts';
import { ProcessTable } from './process-table.ts';

describe('ProcessTable', () => {
  // A busy process of this machine: `yes` writing to /dev/null uses a whole core.
  const busy = spawn('yes', ['vigil-process-table'], { stdio: 'ignore' });
  const idle = spawn('sleep', ['60'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'vigil-procs-'));
  const procs = join(dir, 'cgroup.procs');

  before(() => {
    writeFileSync(procs, `${idle.pid}\n${busy.pid}\n999999999\n`);
  });
  after(async () => {
    await killAndWait(busy);
    await killAndWait(idle);
  });

  it('reads pid, command, user, state, RSS, threads and CPU of real processes, leaving gone pids out', async () => {
    const table = new ProcessTable({ sampleMs: 300 });
    const list = await table.read('/test', procs);
    assert.equal(list.total, 3);
    assert.equal(list.truncated, false);
    assert.ok(list.intervalMs >= 290, `interval ${list.intervalMs}`);
    assert.deepEqual(
      list.processes.map((p) => p.pid),
      [busy.pid, idle.pid].sort((a, b) => (a as number) - (b as number)),
    );
    const row = list.processes.find((p) => p.pid === busy.pid);
    assert.ok(row);
    assert.equal(row.command, 'yes vigil-process-table');
    assert.equal(row.ppid, process.pid);
    assert.equal(row.user, process.getuid?.() === 0 ? 'root' : String(process.getuid?.()));
    assert.equal(row.threads, 1);
    assert.ok(row.rssBytes > 0);
    assert.ok(row.cpuPercent !== null && row.cpuPercent > 20, `busy CPU ${row.cpuPercent}`);
    const sleeper = list.processes.find((p) => p.pid === idle.pid);
    assert.equal(sleeper?.command, 'sleep 60');
    assert.equal(sleeper?.state, 'S');
    assert.ok(sleeper?.cpuPercent !== null && (sleeper?.cpuPercent ?? 1) < 5);
  });

  it('takes CPU from the previous read of the same container, without waiting', async () => {
    let now = 0;
    const table = new ProcessTable({ sampleMs: 50, now: () => now });
    now = 1_000;
    const first = await table.read('/test', [busy.pid as number]);
    assert.equal(first.intervalMs, 0);
    now = 6_000;
    const started = performance.now();
    const second = await table.read('/test', [busy.pid as number]);
    assert.ok(performance.now() - started < 40, 'no second read');
    assert.equal(second.intervalMs, 5_000);
    assert.ok((second.processes[0]?.cpuPercent ?? -1) >= 0);
  });

  it('reads at most maxProcesses, the lowest pids, and says how many there were', async () => {
    const table = new ProcessTable({ sampleMs: 0, maxProcesses: 2 });
    const list = await table.read('/', null);
    assert.ok(list.total > 2);
    assert.equal(list.truncated, true);
    assert.ok(list.processes.length <= 2);
    assert.equal(list.processes[0]?.pid, 1);
    assert.throws(() => new ProcessTable({ maxProcesses: 0 }), /maxProcesses/);
  });
});
