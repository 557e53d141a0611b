import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { targetsApi } from './api.ts';
import type { TargetGroup } from './discovery.ts';
import { FileDiscoverer } from './file-sd.ts';
import { parseTargetGroups } from './file-sd-parse.ts';
import { ScrapeManager } from './manager.ts';
import { newScrapeStats } from './metrics.ts';
import { FakeClock, scrapeConfigsOf } from './testing.ts';

const quiet = createLogger({ level: 'error', write: () => {} });

describe('target group files', () => {
  const ok: Array<{ name: string; text: string; json: boolean; want: TargetGroup[] }> = [
    {
      name: 'JSON, unknown keys ignored',
      json: true,
      text: '[{"targets": ["a:1", "b:2"], "labels": {"env": "prod"}, "extra": 1}, {"targets": []}]',
      want: [
        {
          source: 'f:0',
          targets: [{ __address__: 'a:1' }, { __address__: 'b:2' }],
          labels: { env: 'prod', __meta_filepath: 'f' },
        },
        { source: 'f:1', targets: [], labels: { __meta_filepath: 'f' } },
      ],
    },
    {
      name: 'YAML, scalars read as text',
      json: false,
      text: '- targets: [a:1]\n  labels: {port: 9100, on: true}\n',
      want: [
        {
          source: 'f:0',
          targets: [{ __address__: 'a:1' }],
          labels: { port: '9100', on: 'true', __meta_filepath: 'f' },
        },
      ],
    },
    { name: 'an empty YAML file', json: false, text: '', want: [] },
  ];
  for (const c of ok) it(c.name, () => assert.deepEqual(parseTargetGroups(c.text, 'f', c.json), c.want));

  const bad: Array<{ name: string; text: string; json: boolean; error: string | RegExp }> = [
    { name: 'not a list', json: true, text: '{"targets": []}', error: 'expected a list of target groups' },
    { name: 'a null group', json: true, text: '[null]', error: 'nil target group item found' },
    {
      name: 'an unknown YAML key',
      json: false,
      text: '- targets: [a]\n  lables: {}\n',
      error: 'target group 0: unknown key "lables"',
    },
    {
      name: 'a bad label name',
      json: true,
      text: '[{"labels": {"a-b": "c"}}]',
      error: '"a-b" is not a valid label name',
    },
    {
      name: 'a number as JSON target',
      json: true,
      text: '[{"targets": [1]}]',
      error: 'target group 0: targets: expected a string',
    },
    { name: 'broken JSON', json: true, text: '[{"targets": [', error: /JSON/ },
    { name: 'broken YAML', json: false, text: '- targets: [a\n', error: /./ },
  ];
  for (const c of bad)
    it(`rejects ${c.name}`, () => assert.throws(() => parseTargetGroups(c.text, 'f', c.json), { message: c.error }));
});

describe('file discovery', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-file-sd-'));
    mkdirSync(join(dir, 'targets'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reloads targets from rewritten files on the refresh interval, keeping the last good ones of a broken file', async () => {
    const json = join(dir, 'targets', 'a.json');
    const yml = join(dir, 'targets', 'b.yml');
    writeFileSync(json, JSON.stringify([{ targets: ['a:1'], labels: { env: 'prod' } }]));
    writeFileSync(yml, '- targets: [b:1]\n');
    const clock = new FakeClock();
    const manager = new ScrapeManager({
      appendable: new MemoryStorage(),
      logger: quiet,
      clock,
      configDir: dir,
      watchFiles: false,
    });
    const yaml =
      'scrape_configs:\n  - job_name: f\n    file_sd_configs: [{files: [targets/*.json, targets/*.yml], refresh_interval: 1m}]\n';
    await manager.applyConfig(scrapeConfigsOf(yaml));
    await manager.start();
    const addresses = () => targetsApi(manager).activeTargets.map((t) => t.discoveredLabels.__address__);
    assert.deepEqual(addresses(), ['a:1', 'b:1']);
    const first = targetsApi(manager).activeTargets[0];
    assert.equal(first?.discoveredLabels.__meta_filepath, json);
    assert.deepEqual(first?.labels, { env: 'prod', instance: 'a:1', job: 'f' });

    writeFileSync(json, JSON.stringify([{ targets: ['a:1', 'c:1'], labels: { env: 'prod' } }]));
    unlinkSync(yml);
    await clock.advance(59_000);
    assert.deepEqual(addresses(), ['a:1', 'b:1'], 'not before the refresh interval');
    await clock.advance(1_000);
    assert.deepEqual(addresses(), ['a:1', 'c:1']);

    writeFileSync(json, '[{"targets": ["a:1"');
    await manager.refreshDiscovery();
    assert.deepEqual(addresses(), ['a:1', 'c:1'], 'a broken file keeps its last targets');
    assert.equal(manager.stats.fileSdReadErrors, 1);

    writeFileSync(json, '[]');
    await manager.refreshDiscovery();
    assert.deepEqual(addresses(), []);
    await manager.close();
    assert.equal(clock.pending, 0);
  });

  it('re-reads a file when fs.watch reports a change', async () => {
    const file = join(dir, 'watched.yaml');
    writeFileSync(file, '- targets: [w:1]\n');
    const updates: Array<readonly TargetGroup[]> = [];
    let notify: () => void = () => {};
    const d = new FileDiscoverer({
      config: { files: ['watched.yaml'], refresh_interval: 3_600_000 },
      baseDir: dir,
      clock: new FakeClock(),
      logger: quiet,
      stats: newScrapeStats(),
    });
    await d.start((g) => {
      updates.push(g);
      notify();
    });
    assert.equal(updates.length, 1);
    const changed = new Promise<void>((resolve) => {
      notify = resolve;
    });
    writeFileSync(file, '- targets: [w:1, w:2]\n');
    await changed;
    assert.deepEqual(
      updates.at(-1)?.[0]?.targets.map((t) => t.__address__),
      ['w:1', 'w:2'],
    );
    await d.close();
  });
});
