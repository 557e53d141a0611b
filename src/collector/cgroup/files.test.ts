import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FileReader } from '../proc/read-file.ts';
import { CgroupFiles } from './files.ts';
import { RecordingProblems } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'vigil-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('CgroupFiles sorts failures: missing file, vanished dir, unreadable, unparsable, optional, root', () => {
  const dir = join(root, 'cg');
  mkdirSync(join(dir, 'memory.stat'), { recursive: true });
  writeFileSync(join(dir, 'cpu.shares'), 'lots\n');
  const problems = new RecordingProblems();
  const cg = new CgroupFiles(new FileReader(), problems);
  cg.begin(problems, false);
  assert.equal(cg.number(dir, 'memory.kmem.usage_in_bytes'), null);
  assert.equal(cg.text(dir, 'memory.stat'), null, 'a directory where a file should be');
  assert.equal(cg.number(dir, 'cpu.shares'), null);
  assert.equal(cg.text(dir, 'blkio.bfq.io_serviced', true), null);
  assert.equal(cg.vanished, false);
  assert.deepEqual(
    problems.calls.map((c) => c.key),
    [
      'cgroup-missing:memory.kmem.usage_in_bytes',
      'cgroup-unreadable:memory.stat:EISDIR',
      'cgroup-unparsable:cpu.shares',
    ],
  );
  cg.begin(problems, true);
  assert.equal(cg.number(dir, 'pids.current'), null);
  assert.equal(problems.calls.length, 3, 'root: missing files are expected');
  cg.begin(problems, false);
  assert.equal(cg.number(join(root, 'gone'), 'cpuacct.usage'), null);
  assert.equal(cg.vanished, true);
  assert.equal(problems.calls.length, 3, 'a vanished cgroup is not a problem');
});
