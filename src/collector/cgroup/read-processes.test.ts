import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { readContainer } from './read.ts';
import { RecordingProblems, realCgroupsUnavailable, sleep, TestCgroup, waitForLine } from './testing.ts';

const unavailable = realCgroupsUnavailable();
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : null;

/**
 * File descriptors above 2 of this process without close-on-exec: every child inherits them (the harness running
 * the tests may leave some open), on top of what the test gives it.
 */
function inheritedFds(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    if (Number(fd) < 3) continue;
    try {
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'))?.[1];
      if (flags !== undefined && (Number.parseInt(flags, 8) & 0o2000000) === 0) n++;
    } catch {}
  }
  return n;
}

/** Waits until process `pid` runs `comm` (the wrapper shell has exec'd it). */
async function execed(child: ChildProcess, comm: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(`/proc/${child.pid}/comm`, 'latin1').trim() === comm) return;
    } catch {}
    await sleep(10);
  }
  throw new Error(`${child.pid} never became ${comm}`);
}

describe('processes, threads, fds and task states of a real cgroup', { skip: unavailable ?? false }, () => {
  let cg: TestCgroup;
  const threadsOfPython = 6;

  before(async () => {
    cg = TestCgroup.create();
    // Two sleepers with fds 0-4, stdout a socket (node's stdio pipes are socketpairs).
    for (let i = 0; i < 2; i++) {
      const c = cg.spawn(
        '/bin/sh',
        ['-c', 'exec 3</dev/null 4</dev/null; exec sleep 600'],
        ['ignore', 'pipe', 'ignore'],
      );
      await execed(c, 'sleep');
    }
    // A stopped sleeper with fds 0-2.
    const stopped = cg.spawn('sleep', ['600'], ['ignore', 'ignore', 'ignore']);
    await execed(stopped, 'sleep');
    stopped.kill('SIGSTOP');
    // A busy loop, always runnable (R).
    const burner = cg.spawn('/bin/sh', ['-c', 'exec sh -c "while :; do :; done"'], ['ignore', 'ignore', 'ignore']);
    await execed(burner, 'sh');
    if (python !== null) {
      const script =
        'import threading, time\n' +
        `for _ in range(${threadsOfPython - 1}): threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n` +
        'print("ready", flush=True)\ntime.sleep(600)\n';
      const py = cg.spawn(python, ['-c', script], ['ignore', 'pipe', 'ignore']);
      await waitForLine(py, (l) => l === 'ready');
    }
    await sleep(100);
  });
  after(async () => {
    await cg.destroy();
  });

  test('counts match the processes started', () => {
    const problems = new RecordingProblems();
    const read = readContainer(cg.ref(), 0, Date.now(), problems);
    const p = read?.stats.processes;
    console.log(`processes: ${JSON.stringify(p)}`);
    assert.ok(p);
    const withPython = python === null ? 0 : 1;
    assert.equal(p.processes, 4 + withPython);
    const threads = 4 + withPython * threadsOfPython;
    assert.equal(p.threads, threads);
    assert.equal(p.fileDescriptors, 5 + 5 + 3 + 3 + withPython * 3 + p.processes * inheritedFds());
    assert.equal(p.sockets, 2 + withPython);
    assert.deepEqual(p.states, {
      running: 1,
      sleeping: 2 + withPython * threadsOfPython,
      stopped: 1,
      uninterruptible: 0,
      iowaiting: 0,
    });
    if (cg.dirs.pids !== undefined || cg.layout.version === 2) assert.equal(p.threadsMax, 0, 'pids.max "max" is 0');
    assert.deepEqual(problems.calls, []);
  });

  test('pids.max is reported as threadsMax', (t) => {
    if (cg.layout.version === 1 && cg.dirs.pids === undefined) return t.skip('no pids controller');
    cg.write(cg.layout.version === 1 ? 'pids' : 'unified', 'pids.max', '64');
    const p = readContainer(cg.ref(), 0, Date.now(), new RecordingProblems())?.stats.processes;
    assert.equal(p?.threadsMax, 64);
  });
});
