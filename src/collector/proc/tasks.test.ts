import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BlockDeviceNames } from './block-devices.ts';
import { FileReader } from './read-file.ts';
import { countFds, countTaskState, emptyTaskStates, readTaskState } from './tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'vigil-tasks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('readTaskState finds the state after the last ) of a comm holding spaces and parentheses', () => {
  writeFileSync(join(dir, 'stat'), '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 98 0 0 0\n');
  assert.equal(readTaskState(new FileReader(), join(dir, 'stat')), 'S'.charCodeAt(0));
  assert.equal(readTaskState(new FileReader(), join(dir, 'gone')), -1);
  assert.equal(String.fromCharCode(readTaskState(new FileReader(), '/proc/self/stat')), 'R');
});

test('countTaskState: the kernel taskstats classes', () => {
  const states = emptyTaskStates();
  for (const c of 'RRSDTtIZXW') countTaskState(c.charCodeAt(0), states);
  countTaskState(-1, states);
  assert.deepEqual(states, { running: 2, sleeping: 1, stopped: 2, uninterruptible: 1, iowaiting: 0 });
});

test('countFds counts this process, sockets included; a missing process gives its errno', () => {
  const into = { fds: 0, sockets: 0 };
  assert.equal(countFds('/proc', process.pid, into), '');
  assert.ok(into.fds >= 3);
  assert.equal(countFds(dir, 999999, into), 'ENOENT');
});

test('BlockDeviceNames: uevent DEVNAME, else /proc/partitions, else major:minor; cached for ttl', () => {
  const sys = join(dir, 'sys');
  const proc = join(dir, 'proc');
  for (const d of [`${sys}/dev/block/254:0`, proc]) mkdirSync(d, { recursive: true });
  writeFileSync(`${sys}/dev/block/254:0/uevent`, 'MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n');
  writeFileSync(`${proc}/partitions`, 'major minor  #blocks  name\n\n 254        1  1000 vda1\n');
  const names = new BlockDeviceNames(new FileReader(), { sysRoot: sys, procRoot: proc, ttlMs: 1000 });
  assert.equal(names.name(254, 0, 0), '/dev/vda');
  assert.equal(names.name(254, 1, 0), '/dev/vda1');
  assert.equal(names.name(8, 0, 0), '8:0');
  writeFileSync(`${proc}/partitions`, 'major minor  #blocks  name\n\n 8 0 1 sda\n');
  assert.equal(names.name(8, 0, 999), '8:0', 'cached');
  assert.equal(names.name(8, 0, 1000), '/dev/sda', 'looked up again after ttl');
});
