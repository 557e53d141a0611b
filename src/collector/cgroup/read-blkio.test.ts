import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { BlockDeviceNames } from '../proc/block-devices.ts';
import { FileReader } from '../proc/read-file.ts';
import { CgroupFiles } from './files.ts';
import { readBlkioV1 } from './read-blkio.ts';
import { RecordingProblems } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'vigil-blkio-'));
after(() => rmSync(root, { recursive: true, force: true }));

const empty = 'Total 0\n';
const bytes = (r: number, w: number): string =>
  `8:0 Read ${r}\n8:0 Write ${w}\n8:0 Sync ${r + w}\n8:0 Async 0\n8:0 Discard 7\n8:0 Total ${r + w}\nTotal ${r + w}\n`;

describe('v1 blkio source order (runc): first bytes file with device lines wins', () => {
  const cases: { name: string; files: Record<string, string>; want: [number, number, number, number] | null }[] = [
    {
      name: 'BFQ present but empty (mq-deadline), throttle recursive counts',
      files: {
        'blkio.bfq.io_service_bytes_recursive': empty,
        'blkio.bfq.io_serviced_recursive': empty,
        'blkio.throttle.io_service_bytes_recursive': bytes(4096, 8192),
        'blkio.throttle.io_serviced_recursive': bytes(1, 2),
        'blkio.throttle.io_service_bytes': bytes(1, 1),
      },
      want: [4096, 8192, 1, 2],
    },
    {
      name: 'BFQ with devices wins over throttle',
      files: {
        'blkio.bfq.io_service_bytes_recursive': bytes(10, 20),
        'blkio.bfq.io_serviced_recursive': bytes(3, 4),
        'blkio.throttle.io_service_bytes_recursive': bytes(4096, 8192),
      },
      want: [10, 20, 3, 4],
    },
    {
      name: 'only the non-recursive throttle files',
      files: { 'blkio.throttle.io_service_bytes': bytes(5, 6), 'blkio.throttle.io_serviced': bytes(7, 8) },
      want: [5, 6, 7, 8],
    },
    {
      name: 'no rule on the device: every file "Total 0", nothing reported',
      files: { 'blkio.throttle.io_service_bytes_recursive': empty, 'blkio.throttle.io_service_bytes': empty },
      want: null,
    },
  ];
  for (const [i, c] of cases.entries()) {
    test(c.name, () => {
      const dir = join(root, `case${i}`);
      mkdirSync(dir);
      for (const [f, text] of Object.entries(c.files)) writeFileSync(join(dir, f), text);
      const problems = new RecordingProblems();
      const files = new FileReader();
      const cg = new CgroupFiles(files, problems);
      cg.begin(problems, false);
      const names = new BlockDeviceNames(files, { sysRoot: join(root, 'nosys'), procRoot: join(root, 'noproc') });
      const got = readBlkioV1(cg, dir, names, 0);
      if (c.want === null) {
        assert.deepEqual(got, []);
      } else {
        const [readBytes, writeBytes, reads, writes] = c.want;
        assert.deepEqual(got, [{ major: 8, minor: 0, device: '8:0', readBytes, writeBytes, reads, writes }]);
      }
      assert.deepEqual(problems.calls, [], 'alternative sources missing are not problems');
    });
  }
});
