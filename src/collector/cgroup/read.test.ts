import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../log/index.ts';
import { LoggedProblems } from '../problems.ts';
import type { ContainerRef } from '../types.ts';
import { CgroupDiscovery } from './discovery.ts';
import { CgroupReader, readContainer } from './read.ts';
import { fixtureTree, RecordingProblems, realCgroupsUnavailable, TestCgroup } from './testing.ts';

const samples = new URL('../../../../shared/containers/samples/', import.meta.url).pathname;
const trees: string[] = [];
after(() => {
  for (const t of trees) rmSync(t, { recursive: true, force: true });
});

/** An empty /proc and /sys stand-in with just the files a test gives. */
function fakeRoots(files: Record<string, string>): { procRoot: string; sysRoot: string } {
  const root = mkdtempSync(join(tmpdir(), 'vigil-procsys-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'proc'), { recursive: true });
  mkdirSync(join(root, 'sys'), { recursive: true });
  return { procRoot: join(root, 'proc'), sysRoot: join(root, 'sys') };
}

function refOf(root: string, id: string): ContainerRef {
  const ref = new CgroupDiscovery({ root }).scan().find((r) => r.id === id);
  assert.ok(ref, `${id} discovered`);
  return ref;
}

describe('v1 files recorded from the docker test containers', () => {
  let root: string;
  let reader: CgroupReader;
  before(() => {
    root = fixtureTree(`${samples}cgroup-v1-docker-dump.txt`, 'v1');
    trees.push(root);
    reader = new CgroupReader(
      fakeRoots({ 'sys/dev/block/254:0/uevent': 'MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n' }),
    );
  });

  test('cpu-limited container: usage, per CPU, ticks to ns, CFS counters and spec', () => {
    const read = reader.read(refOf(root, '/docker/vigil-cpu'), 0, 1000, new RecordingProblems());
    assert.deepEqual(read?.stats.cpu, {
      usageNs: 26050929065,
      perCpuNs: [12967445429, 13083483636],
      userNs: 2458 * 10_000_000,
      systemNs: 147 * 10_000_000,
      cfs: { periods: 533, throttledPeriods: 503, throttledNs: 19258478662 },
    });
    assert.equal(read?.stats.timestampMs, 1000);
    assert.deepEqual([read?.spec.cpuShares, read?.spec.cpuPeriodUs, read?.spec.cpuQuotaUs], [1024, 100000, 50000]);
  });

  test('memory-limited container: memory figures, limits, blkio by device name; missing oom_control reported once', () => {
    const problems = new RecordingProblems();
    const ref = refOf(root, '/docker/vigil-mem');
    const read = reader.read(ref, 0, 1000, problems);
    assert.deepEqual(read?.stats.memory, {
      usageBytes: 169107456,
      maxUsageBytes: 185524224,
      workingSetBytes: 169107456,
      cacheBytes: 12288,
      rssBytes: 168034304,
      mappedFileBytes: 0,
      swapBytes: 0,
      kernelBytes: 684032,
      failcnt: 0,
      pgfault: 90755,
      pgmajfault: 0,
      activeFileBytes: 12288,
      inactiveFileBytes: 0,
      // The dump has no memory.oom_control: null, not 0.
      oomKills: null,
    });
    assert.deepEqual(read?.stats.blkio, [
      { major: 254, minor: 0, device: '/dev/vda', readBytes: 11534336, writeBytes: 11534336, reads: 176, writes: 176 },
    ]);
    assert.deepEqual(
      [read?.spec.memoryLimitBytes, read?.spec.memorySwapLimitBytes, read?.spec.memoryReservationBytes],
      [268435456, 268435456, 134217728],
    );
    assert.equal(read?.stats.processes?.processes, 2);
    assert.equal(read?.stats.processes?.threads, 2, 'pids.current');
    assert.equal(read?.stats.processes?.threadsMax, 0, 'pids.max max');
    assert.ok(problems.logged.has('cgroup-missing:memory.oom_control'));
    // Through the collector's ProblemLog: two passes, one warning per missing file.
    const lines: string[] = [];
    const logged = new LoggedProblems(createLogger({ write: (l) => lines.push(l) }));
    reader.read(ref, 0, 2000, logged);
    reader.read(ref, 0, 3000, logged);
    assert.equal(lines.filter((l) => l.includes('memory.oom_control')).length, 1);
  });

  test('creation time: oldest mtime of the dirs and cgroup.clone_children, not before boot', () => {
    const ref = refOf(root, '/docker/vigil-net');
    const t = Math.floor(Date.now() / 1000) - 3600;
    for (const dir of Object.values(ref.dirs)) utimesSync(dir, t + 60, t + 60);
    utimesSync(`${ref.dirs.memory}/cgroup.clone_children`, t, t);
    const fresh = new CgroupReader(fakeRoots({ 'proc/stat': `cpu 1 2 3\nbtime ${t - 86400}\n` }));
    assert.equal(fresh.read(ref, 0, Date.now(), new RecordingProblems())?.spec.creationMs, t * 1000);
    const bootedLater = new CgroupReader(fakeRoots({ 'proc/stat': `btime ${t + 600}\n` }));
    const other = refOf(root, '/docker/vigil-net');
    assert.equal(bootedLater.read(other, 0, Date.now(), new RecordingProblems())?.spec.creationMs, (t + 600) * 1000);
  });
});

describe('v2 files recorded from the qemu guest', () => {
  let root: string;
  let reader: CgroupReader;
  before(() => {
    root = fixtureTree(`${samples}cgroup-v2-vm-dump.txt`, 'v2');
    trees.push(root);
    reader = new CgroupReader(fakeRoots({ 'proc/meminfo': 'MemTotal:        1000 kB\nMemFree:          400 kB\n' }));
  });

  test('cpu.max quota: usage, user/system in µs to ns, no per-CPU, CFS counters, weight as shares', () => {
    const problems = new RecordingProblems();
    const read = reader.read(refOf(root, '/vigil-test/vigil-cpu'), 0, 1000, problems);
    assert.deepEqual(read?.stats.cpu, {
      usageNs: 10259580000,
      perCpuNs: null,
      userNs: 9841025000,
      systemNs: 418555000,
      cfs: { periods: 206, throttledPeriods: 205, throttledNs: 9507366000 },
    });
    assert.deepEqual([read?.spec.cpuShares, read?.spec.cpuPeriodUs, read?.spec.cpuQuotaUs], [2597, 100000, 50000]);
    assert.equal(read?.stats.processes?.processes, 1);
    assert.equal(read?.stats.processes?.threads, 1);
    // pid 96 of the guest does not exist in the fake /proc: left out, reported once.
    assert.ok(problems.logged.has('proc-pid-gone'));
  });

  test('memory.max, memory.peak, memory.events, io.stat; no quota, no CFS counters', () => {
    const read = reader.read(refOf(root, '/vigil-test/vigil-mem'), 0, 1000, new RecordingProblems());
    const m = read?.stats.memory;
    assert.deepEqual(
      [m?.usageBytes, m?.maxUsageBytes, m?.rssBytes, m?.cacheBytes, m?.kernelBytes, m?.failcnt, m?.oomKills],
      [85561344, 101396480, 84066304, 0, 258048, null, 0],
    );
    assert.equal(read?.stats.cpu?.cfs, null);
    assert.equal(read?.spec.cpuQuotaUs, null);
    assert.equal(read?.spec.memoryLimitBytes, 268435456);
    assert.equal(read?.spec.memorySwapLimitBytes, 0, 'swap.max max is unlimited');
    assert.deepEqual(read?.stats.blkio, [
      { major: 1, minor: 0, device: '1:0', readBytes: 8388608, writeBytes: 16777216, reads: 8, writes: 16 },
    ]);
  });

  test('root: usage from /proc/meminfo, limit MemTotal, the key-less io.stat line skipped, nothing reported', () => {
    const problems = new RecordingProblems();
    const read = reader.read(refOf(root, '/'), 0, 1000, problems);
    assert.equal(read?.stats.memory?.usageBytes, 600 * 1024);
    assert.equal(read?.spec.memoryLimitBytes, 1000 * 1024);
    assert.deepEqual(read?.stats.blkio, []);
    assert.equal(read?.stats.cpu?.usageNs, 28056000000);
    assert.deepEqual(
      problems.calls.filter((c) => !c.key.startsWith('proc-')),
      [],
    );
  });
});

const unavailable = realCgroupsUnavailable();

describe('real cgroups: vanishing and the root container', { skip: unavailable ?? false }, () => {
  test('a cgroup removed before the read gives null, not a throw, and no problem', async () => {
    const cg = TestCgroup.create();
    const ref = cg.ref();
    const problems = new RecordingProblems();
    assert.ok(readContainer(ref, 0, Date.now(), problems) !== null);
    await cg.destroy();
    assert.equal(readContainer(ref, 0, Date.now(), problems), null);
    assert.deepEqual(problems.calls, []);
  });

  test('a cgroup gone from one controller only (runtime tearing it down) gives null', async () => {
    const cg = TestCgroup.create();
    try {
      const ref = cg.ref();
      const memory = ref.dirs.memory;
      if (memory === undefined) return;
      rmdirSync(memory);
      assert.equal(readContainer(ref, 0, Date.now(), new RecordingProblems()), null);
    } finally {
      await cg.destroy();
    }
  });

  test('held control files: released when the cgroup vanishes; a cgroup recreated at the same path reads afresh', async () => {
    const reader = new CgroupReader();
    const problems = new RecordingProblems();
    const first = TestCgroup.create();
    const name = first.id.slice(1);
    const ref = first.ref();
    assert.equal(reader.read(ref, 0, Date.now(), problems)?.spec.memoryLimitBytes, 0);
    assert.ok(reader.heldFiles > 10, `${reader.heldFiles} files held`);
    await first.destroy();
    const second = TestCgroup.create(undefined, name);
    try {
      second.write('memory', 'memory.limit_in_bytes', String(64 * 1024 * 1024));
      assert.equal(reader.read(ref, 0, Date.now(), problems)?.spec.memoryLimitBytes, 64 * 1024 * 1024);
    } finally {
      await second.destroy();
    }
    assert.equal(reader.read(ref, 0, Date.now(), problems), null);
    assert.equal(reader.heldFiles, 0);
    assert.deepEqual(problems.calls, []);
  });

  test('root `/` reads the host: CPU and memory of the machine, limit MemTotal, network of pid 1', () => {
    const root = new CgroupDiscovery().scan()[0];
    assert.equal(root?.id, '/');
    const problems = new RecordingProblems();
    const read = readContainer(root, 0, Date.now(), problems);
    assert.ok(read?.stats.cpu && read.stats.cpu.usageNs > 0);
    assert.ok(read.stats.memory && read.stats.memory.usageBytes > 0);
    assert.ok(read.stats.network.length > 0);
    assert.ok((read.stats.processes?.processes ?? 0) > 0);
    assert.ok(read.spec.memoryLimitBytes > 0);
    // Host processes come and go during the read (proc-pid-gone); nothing else may be reported.
    assert.deepEqual(
      problems.calls.filter((c) => !c.key.startsWith('proc-pid-gone')),
      [],
    );
  });
});
