import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scrapeAcceptHeader } from '../exposition/index.ts';
import { Labels, xxhash64 } from '../model/index.ts';
import { acceptHeader } from './accept.ts';
import { fnv64a } from './hash.ts';
import { populateLabels, splitHostPort, targetsFromGroup } from './populate.ts';
import { compileRelabel } from './relabel.ts';
import { mutateSampleLabels } from './sample-labels.ts';
import { Target } from './target.ts';
import { scrapeConfigsOf } from './testing.ts';

describe('hashes', () => {
  it('xxHash64 and FNV-1a match their reference values', () => {
    assert.equal(xxhash64(Buffer.from('')), 0xef46db3751d8e999n);
    assert.equal(xxhash64(Buffer.from('abc')), 0x44bc2cf5ad770999n);
    assert.equal(xxhash64(Buffer.from('Nobody inspects the spammish repetition')), 0xfbcea83c8a378bf1n);
    assert.equal(fnv64a(''), 0xcbf29ce484222325n);
    assert.equal(fnv64a('a'), 0xaf63dc4c8601ec8cn);
  });
});

/** A job from YAML lines under `- job_name: j` (interval 15s). */
function jobOf(lines = '') {
  const c = scrapeConfigsOf(`global: {scrape_interval: 15s}\nscrape_configs:\n  - job_name: j\n${lines}`)[0];
  assert.ok(c);
  return { config: c, relabel: c.relabel_configs.length > 0 ? compileRelabel(c.relabel_configs) : null };
}

describe('populateLabels', () => {
  const base = {
    __scheme__: 'http',
    __metrics_path__: '/metrics',
    __scrape_interval__: '15s',
    __scrape_timeout__: '10s',
    job: 'j',
  };
  const cases: Array<{
    name: string;
    job?: string;
    discovered: Record<string, string>;
    want: Record<string, string> | string | null;
  }> = [
    {
      name: 'defaults from the job, instance from the address, meta labels removed',
      job: '    params: {module: [http_2xx, other]}\n',
      discovered: { __address__: 'h:9100', __meta_x: 'y', env: 'prod' },
      want: { ...base, __address__: 'h:9100', __param_module: 'http_2xx', env: 'prod', instance: 'h:9100' },
    },
    {
      name: 'discovered internal labels win over the job',
      discovered: { __address__: 'h', __scheme__: 'https', __metrics_path__: '/m', job: 'mine' },
      want: {
        ...base,
        __address__: 'h:443',
        __scheme__: 'https',
        __metrics_path__: '/m',
        job: 'mine',
        instance: 'h:443',
      },
    },
    {
      name: 'default http port',
      discovered: { __address__: 'h' },
      want: { ...base, __address__: 'h:80', instance: 'h:80' },
    },
    {
      name: 'IPv6 in brackets gets a port',
      discovered: { __address__: '[::1]' },
      want: { ...base, __address__: '[::1]:80', instance: '[::1]:80' },
    },
    {
      name: 'bare IPv6 cannot get one',
      discovered: { __address__: '::1' },
      want: { ...base, __address__: '::1', instance: '::1' },
    },
    { name: 'no address', discovered: { env: 'x' }, want: 'no address' },
    {
      name: 'a URL as address',
      discovered: { __address__: 'http://h/x' },
      want: '"http://h/x" is not a valid hostname',
    },
    {
      name: 'relabeling keeps instance, drops meta',
      job: '    relabel_configs:\n      - {source_labels: [__meta_host], target_label: instance}\n',
      discovered: { __address__: 'h:1', __meta_host: 'box' },
      want: { ...base, __address__: 'h:1', instance: 'box' },
    },
    {
      name: 'relabeling drops the target',
      job: '    relabel_configs: [{source_labels: [env], regex: dev, action: drop}]\n',
      discovered: { __address__: 'h:1', env: 'dev' },
      want: null,
    },
    {
      name: 'a relabeled timeout above the interval',
      job: '    relabel_configs: [{target_label: __scrape_timeout__, replacement: 1m}]\n',
      discovered: { __address__: 'h:1' },
      want: 'scrape timeout cannot be greater than scrape interval ("1m" > "15s")',
    },
    {
      name: 'a relabeled interval that is not a duration',
      job: '    relabel_configs: [{target_label: __scrape_interval__, replacement: soon}]\n',
      discovered: { __address__: 'h:1' },
      want: 'error parsing scrape interval: not a valid duration string: "soon"',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { config, relabel } = jobOf(c.job);
      const p = populateLabels(Labels.fromObject(c.discovered), config, relabel);
      if (typeof c.want === 'string') assert.deepEqual(p, { error: c.want });
      else if (c.want === null) assert.equal('labels' in p && p.labels, null);
      else assert.deepEqual('labels' in p ? p.labels?.toObject() : p, c.want);
    });
  }

  it('targetsFromGroup merges group labels under target labels and sorts out failures and drops', () => {
    const { config, relabel } = jobOf('    relabel_configs: [{source_labels: [env], regex: dev, action: drop}]\n');
    const r = targetsFromGroup(
      {
        source: 'g',
        labels: { env: 'prod', team: 'a' },
        targets: [{ __address__: 'a:1' }, { __address__: 'b:1', env: 'dev' }, {}],
      },
      config,
      relabel,
    );
    assert.deepEqual(
      r.active.map((t) => t.publicLabels().toObject()),
      [{ env: 'prod', instance: 'a:1', job: 'j', team: 'a' }],
    );
    assert.equal(r.dropped[0]?.get('__address__'), 'b:1');
    assert.deepEqual(
      r.failures.map((f) => f.message),
      ['instance 2 in group g: no address'],
    );
  });
});

describe('targets', () => {
  const target = (labels: Record<string, string>, params: Record<string, string[]> = {}) =>
    new Target(
      Labels.fromObject({ __scheme__: 'http', __metrics_path__: '/metrics', ...labels }),
      Labels.empty,
      params,
    );

  it('builds the URL as Go writes it', () => {
    const t = target({ __address__: 'h:80', __metrics_path__: '/m!', __param_q: 'x y' }, { q: ['a', 'c'], a: ['1'] });
    assert.equal(t.url(), 'http://h:80/m%21?a=1&q=x+y&q=c');
    assert.equal(target({ __address__: 'h:1', __metrics_path__: 'rel' }).url(), 'http://h:1/rel');
  });

  it('spreads first scrapes over the interval by hash, pinned to absolute time', () => {
    const interval = 15_000;
    const offsets = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const t = target({ __address__: `host${i}:9100` });
      const now = 1_700_000_000_123;
      const off = t.offsetMs(interval, 0n, now);
      assert.ok(off >= 0 && off <= interval, String(off));
      // Asked later, the same target lands on the same phase of the interval.
      const later = now + 4_321;
      assert.equal((later + t.offsetMs(interval, 0n, later)) % interval, (now + off) % interval);
      offsets.add(Math.floor(off / 1000));
    }
    assert.ok(offsets.size >= 14, `offsets spread over the seconds of the interval: ${offsets.size}`);
    const t = target({ __address__: 'h:1' });
    assert.notEqual(
      t.offsetMs(interval, 0n, 0),
      t.offsetMs(interval, fnv64a('prometheus-a{}'), 0),
      'the seed moves the phase',
    );
  });

  it('splits host and port as Go does', () => {
    assert.deepEqual(splitHostPort('h:80'), { host: 'h', port: '80' });
    assert.deepEqual(splitHostPort('[::1]:80'), { host: '::1', port: '80' });
    assert.deepEqual(splitHostPort('h:'), { host: 'h', port: '' });
    assert.equal(splitHostPort('h'), null);
    assert.equal(splitHostPort('::1'), null);
    assert.equal(splitHostPort('[::1]'), null);
  });
});

describe('sample labels', () => {
  const target = Labels.fromObject({ job: 'j', instance: 'i' });
  const cases: Array<{ name: string; exposed: Record<string, string>; honor: boolean; want: Record<string, string> }> =
    [
      {
        name: 'target labels win; clashes become exported_, again if taken',
        exposed: { __name__: 'm', job: 'x', exported_job: 'y', instance: 'z' },
        honor: false,
        want: {
          __name__: 'm',
          job: 'j',
          instance: 'i',
          exported_job: 'y',
          exported_exported_job: 'x',
          exported_instance: 'z',
        },
      },
      {
        name: 'honor_labels: exposed labels win',
        exposed: { __name__: 'm', job: 'x' },
        honor: true,
        want: { __name__: 'm', job: 'x', instance: 'i' },
      },
    ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(mutateSampleLabels(Labels.fromObject(c.exposed), target, c.honor, null)?.toObject(), c.want);
    });
  }

  it('asks for the configured protocols', () => {
    assert.equal(
      acceptHeader(['OpenMetricsText1.0.0', 'OpenMetricsText0.0.1', 'PrometheusText0.0.4']),
      scrapeAcceptHeader,
    );
    assert.equal(acceptHeader(['PrometheusProto', 'PrometheusText0.0.4']), 'text/plain;version=0.0.4;q=0.5,*/*;q=0.4');
  });
});
