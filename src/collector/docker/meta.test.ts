import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspectFrom } from './api-types.ts';
import { metaFromInspect, sameMeta } from './meta.ts';
import { haveSamples, readSample } from './testing.ts';

describe('metaFromInspect', () => {
  it('reads the recorded inspect of vigil-mem', { skip: !haveSamples && 'no ../shared/containers/samples' }, () => {
    const raw = inspectFrom(readSample('docker-api-container-vigil-mem.json'));
    assert.ok(raw);
    const m = metaFromInspect(raw);
    assert.deepEqual(m, {
      name: 'vigil-mem',
      image: 'vigil-test/busybox:latest',
      labels: {
        'com.docker.compose.project': 'vigil-test',
        'com.docker.compose.service': 'mem',
        'org.opencontainers.image.title': 'vigil-test-busybox',
        'vigil.role': 'mem',
        'vigil.test': '1',
      },
      pid: 28767,
      createdMs: Date.UTC(2026, 10, 23, 23, 19, 42, 914),
      startedMs: Date.UTC(2026, 10, 23, 23, 19, 43, 262),
      health: -1,
      restartCount: 0,
    });
    assert.ok(Object.isFrozen(m) && Object.isFrozen(m.labels));
  });

  const base = {
    Id: 'x',
    Name: '/web',
    Created: '2024-05-01T10:00:00.123456789Z',
    RestartCount: 2,
    State: { Running: true, Pid: 77, StartedAt: '2024-05-01T10:00:01Z', Health: { Status: 'healthy' } },
    Config: { Image: 'nginx:1.25', Labels: { a: '1', n: 5 } },
  };
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    [
      'a healthy container',
      base,
      {
        name: 'web',
        image: 'nginx:1.25',
        labels: { a: '1' },
        pid: 77,
        createdMs: Date.parse('2024-05-01T10:00:00.123Z'),
        startedMs: Date.parse('2024-05-01T10:00:01Z'),
        health: 1,
        restartCount: 2,
      },
    ],
    ['starting', { ...base, State: { ...base.State, Health: { Status: 'starting' } } }, { health: 0 }],
    ['unhealthy', { ...base, State: { ...base.State, Health: { Status: 'unhealthy' } } }, { health: 0 }],
    ['health none', { ...base, State: { ...base.State, Health: { Status: 'none' } } }, { health: -1 }],
    ['no health', { ...base, State: { Running: true, Pid: 1 } }, { health: -1 }],
    ['not running: pid 0', { ...base, State: { ...base.State, Running: false, Pid: 0 } }, { pid: 0 }],
    [
      'never started: start time is the creation time',
      { ...base, State: { ...base.State, StartedAt: '0001-01-01T00:00:00Z' } },
      { startedMs: Date.parse('2024-05-01T10:00:00.123Z') },
    ],
    ['a name without / (podman)', { ...base, Name: 'web' }, { name: 'web' }],
    ['time with an offset', { ...base, Created: '2024-05-01T12:00:00+02:00' }, { createdMs: Date.UTC(2024, 4, 1, 10) }],
    [
      'everything missing',
      { Id: 'x' },
      { name: '', image: '', labels: {}, pid: 0, createdMs: 0, startedMs: 0, health: -1, restartCount: 0 },
    ],
    [
      'mistyped fields',
      { Id: 'x', Name: 3, Created: 'soon', RestartCount: -1, State: [], Config: { Image: null, Labels: 'x' } },
      { name: '', image: '', labels: {}, createdMs: 0, restartCount: 0 },
    ],
  ];
  for (const [name, raw, want] of cases) {
    it(name, () => {
      const m = metaFromInspect(raw as { Id: string });
      for (const [k, v] of Object.entries(want)) assert.deepEqual(m[k as keyof typeof m], v, k);
    });
  }

  it('keeps a label named __proto__ as data', () => {
    const m = metaFromInspect(JSON.parse('{"Id":"x","Config":{"Labels":{"__proto__":"p","b":"2"}}}'));
    assert.deepEqual(Object.keys(m.labels), ['__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(m.labels), Object.prototype);
  });
});

describe('sameMeta', () => {
  it('compares every field and the labels', () => {
    const a = metaFromInspect({ Id: 'x', Name: '/a', Config: { Labels: { k: 'v' } } });
    assert.equal(sameMeta(a, metaFromInspect({ Id: 'x', Name: '/a', Config: { Labels: { k: 'v' } } })), true);
    assert.equal(sameMeta(a, metaFromInspect({ Id: 'x', Name: '/b', Config: { Labels: { k: 'v' } } })), false);
    assert.equal(sameMeta(a, metaFromInspect({ Id: 'x', Name: '/a', Config: { Labels: { k: 'w' } } })), false);
    assert.equal(sameMeta(a, metaFromInspect({ Id: 'x', Name: '/a', Config: { Labels: { j: 'v' } } })), false);
    assert.equal(sameMeta(a, metaFromInspect({ Id: 'x', Name: '/a', Config: { Labels: {} } })), false);
  });
});
