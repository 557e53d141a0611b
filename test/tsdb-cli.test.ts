import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { requireBuild, runToEnd } from './support/process.ts';

const run = promisify(execFile);
const hasPromtool = existsSync('/usr/bin/promtool');

/** An OpenMetrics body over ~5h ending an hour ago: counters, a gauge with odd values, non-ASCII labels. */
function body(): string {
  const start = Math.floor(Date.now() / 1000) - 6 * 3600;
  const lines = ['# TYPE app_requests counter', '# HELP app_requests Requests served.'];
  for (let i = 0; i < 1200; i++) {
    for (const path of ['/a', '/b', '/π'])
      lines.push(`app_requests_total{path="${path}"} ${i * 3 + path.length} ${start + i * 15}`);
  }
  lines.push('# TYPE room_temp gauge');
  for (let i = 0; i < 1200; i++)
    lines.push(`room_temp{room="küche"} ${(20 + Math.sin(i) * 3).toFixed(6)} ${start + i * 15}.5`);
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

describe('vigil tsdb', () => {
  let dir: string;
  before(() => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'vigil-tsdb-cli-'));
    writeFileSync(join(dir, 'data.om'), body());
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('imports OpenMetrics into 2h blocks that list and analyze, and that promtool reads the same as its own', async (t) => {
    const imported = await runToEnd(['tsdb', 'import', 'openmetrics', 'data.om', '--data-dir', 'vigil'], { cwd: dir });
    assert.equal(imported.code, 0, imported.output);
    assert.match(imported.stdout, /^imported 4800 samples into \d blocks in /);
    const list = await runToEnd(['tsdb', 'list', '--data-dir', 'vigil'], { cwd: dir });
    assert.equal(list.code, 0, list.output);
    const rows = list.stdout.trim().split('\n');
    assert.match(
      rows[0] as string,
      /^BLOCK ULID\s+MIN TIME\s+MAX TIME\s+DURATION\s+NUM SAMPLES\s+NUM CHUNKS\s+NUM SERIES\s+SIZE$/,
    );
    assert.ok(rows.slice(1).every((r) => /\s2h\s/.test(r)));
    const analyze = await runToEnd(['tsdb', 'analyze', '--data-dir', 'vigil'], { cwd: dir });
    assert.match(analyze.stdout, /Highest cardinality metric names:\n3 app_requests_total\n1 room_temp/);

    if (!hasPromtool) {
      t.skip('promtool is not installed');
      return;
    }
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', 'data.om', 'prom'], { cwd: dir });
    await run('promtool', ['tsdb', 'analyze', join(dir, 'vigil', 'tsdb')]);
    const dump = async (d: string) => {
      const { stdout } = await run('promtool', ['tsdb', 'dump', d], { maxBuffer: 64 * 1024 * 1024 });
      return stdout.trim().split('\n').sort();
    };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'vigil', 'tsdb', 'wal'), { recursive: true });
    mkdirSync(join(dir, 'prom', 'wal'), { recursive: true });
    const ours = await dump(join(dir, 'vigil', 'tsdb'));
    assert.equal(ours.length, 4800);
    assert.deepEqual(ours, await dump(join(dir, 'prom')));
  });

  it('refuses a malformed file naming the line, writing nothing', async () => {
    writeFileSync(join(dir, 'bad.om'), '# TYPE x gauge\nx 1 100\nx{a="b} 2 200\n# EOF\n');
    const r = await runToEnd(['tsdb', 'import', 'openmetrics', 'bad.om', '--data-dir', 'bad'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.output, /^bad\.om:3: .+\nnothing was imported\n$/);
    assert.equal(existsSync(join(dir, 'bad')), false);

    writeFileSync(join(dir, 'ooo.om'), '# TYPE x gauge\nx 1 200\nx 2 100\n# EOF\n');
    const ooo = await runToEnd(['tsdb', 'import', 'openmetrics', 'ooo.om', '--data-dir', 'ooo'], { cwd: dir });
    assert.equal(ooo.code, 1);
    assert.match(ooo.output, /^ooo\.om:3: out of order sample/);
    assert.deepEqual(readdirSync(join(dir, 'ooo', 'tsdb')), [], 'staged blocks are removed');

    writeFileSync(join(dir, 'nots.om'), '# TYPE x gauge\nx 1\n# EOF\n');
    const nots = await runToEnd(['tsdb', 'import', 'openmetrics', 'nots.om', '--data-dir', 'nots'], { cwd: dir });
    assert.match(nots.output, /^nots\.om:2: sample without a timestamp/);
  });
});
