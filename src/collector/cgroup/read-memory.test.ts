import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { readContainer } from './read.ts';
import { RecordingProblems, realCgroupsUnavailable, sleep, TestCgroup, waitForLine } from './testing.ts';

const unavailable = realCgroupsUnavailable();
const MiB = 1024 * 1024;

/** A node process that allocates and touches `mib` MiB when it reads a line, and then holds it. */
const allocator = `
process.stdout.write('ready\\n');
process.stdin.once('data', () => {
  globalThis.held = Buffer.allocUnsafe(Number(process.argv[1]) * 1024 * 1024).fill(1);
  process.stdout.write('done\\n');
});
setInterval(() => {}, 1e6);
`;

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('memory of a real cgroup', { skip: unavailable ?? false }, () => {
  const made: TestCgroup[] = [];
  after(async () => {
    for (const cg of made) await cg.destroy();
  });

  test('100 MiB allocated and touched: usage, RSS and working set grow by 100 MiB (±10%)', async () => {
    const cg = TestCgroup.create();
    made.push(cg);
    const child = cg.spawn(process.execPath, ['-e', allocator, '100'], ['pipe', 'pipe', 'inherit']);
    await waitForLine(child, (l) => l === 'ready');
    await sleep(300);
    const ref = cg.ref();
    const problems = new RecordingProblems();
    const a = readContainer(ref, 0, Date.now(), problems)?.stats.memory;
    child.stdin?.write('go\n');
    await waitForLine(child, (l) => l === 'done');
    const b = readContainer(ref, 0, Date.now(), problems)?.stats.memory;
    assert.ok(a && b, 'memory stats read');
    const grew = {
      usage: (b.usageBytes - a.usageBytes) / MiB,
      rss: ((b.rssBytes ?? 0) - (a.rssBytes ?? 0)) / MiB,
      workingSet: (b.workingSetBytes - a.workingSetBytes) / MiB,
    };
    console.log(
      `allocated 100 MiB: usage ${(a.usageBytes / MiB).toFixed(1)} -> ${(b.usageBytes / MiB).toFixed(1)} MiB; ` +
        `grew usage ${grew.usage.toFixed(1)}, rss ${grew.rss.toFixed(1)}, working set ${grew.workingSet.toFixed(1)} MiB`,
    );
    for (const [what, v] of Object.entries(grew)) assert.ok(v > 90 && v < 110, `${what} grew ${v} MiB`);
    assert.ok(b.usageBytes >= 100 * MiB && (b.maxUsageBytes ?? 0) >= b.usageBytes - MiB);
    assert.equal(b.oomKills, 0);
    assert.deepEqual(problems.calls, []);
  });

  test('over a 32 MiB limit the process is OOM-killed and oomKills counts it', async () => {
    const cg = TestCgroup.create();
    made.push(cg);
    const v1 = cg.layout.version === 1;
    if (v1) {
      cg.write('memory', 'memory.limit_in_bytes', String(32 * MiB));
      if (existsSync(`${cg.dirs.memory}/memory.memsw.limit_in_bytes`)) {
        cg.write('memory', 'memory.memsw.limit_in_bytes', String(32 * MiB));
      }
    } else {
      cg.write('unified', 'memory.max', String(32 * MiB));
      if (existsSync(`${cg.dirs.unified}/memory.swap.max`)) cg.write('unified', 'memory.swap.max', '0');
    }
    const ref = cg.ref();
    const problems = new RecordingProblems();
    const before = readContainer(ref, 0, Date.now(), problems);
    assert.equal(before?.stats.memory?.oomKills, 0);
    assert.equal(before?.spec.memoryLimitBytes, 32 * MiB);
    // dash keeps a command substitution's output in memory: 64 MiB of it does not fit in 32.
    const hog = cg.spawn('/bin/sh', ['-c', 'x=$(head -c 67108864 /dev/zero | tr "\\000" x); echo survived']);
    const end = await exited(hog);
    const after = readContainer(ref, 0, Date.now(), problems);
    const mem = after?.stats.memory;
    console.log(
      `OOM: exit ${JSON.stringify(end)}, oomKills ${mem?.oomKills}, failcnt ${mem?.failcnt}, ` +
        `max usage ${((mem?.maxUsageBytes ?? 0) / MiB).toFixed(1)} MiB, swap limit ${after?.spec.memorySwapLimitBytes}`,
    );
    assert.ok((mem?.oomKills ?? 0) >= 1, 'oom_kill counted');
    assert.equal(end.signal, 'SIGKILL');
    if (v1) {
      // With memsw limited as well, the memsw counter hits its limit first: memory.failcnt may stay 0 (it does on
      // 6.18; memory.memsw.failcnt counts instead). It is read, not made up.
      assert.equal(typeof mem?.failcnt, 'number');
      assert.ok((mem?.maxUsageBytes ?? 0) <= 32 * MiB && (mem?.maxUsageBytes ?? 0) > 30 * MiB);
    }
    assert.deepEqual(problems.calls, []);
  });
});
