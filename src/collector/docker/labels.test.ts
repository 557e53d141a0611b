import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContainerMeta } from '../types.ts';
import { containerLabels, sanitizeLabelName } from './labels.ts';

const meta = (labels: Record<string, string>, restartCount = 0): ContainerMeta => ({
  name: 'web',
  image: 'nginx:1.25',
  labels,
  pid: 1,
  createdMs: 0,
  startedMs: 0,
  health: -1,
  restartCount,
});

describe('sanitizeLabelName', () => {
  const cases: Array<[string, string]> = [
    ['com.docker.compose.service', 'com_docker_compose_service'],
    ['org.opencontainers.image.title', 'org_opencontainers_image_title'],
    ['vigil.test', 'vigil_test'],
    ['already_ok_09', 'already_ok_09'],
    ['a-b/c:d e', 'a_b_c_d_e'],
    ['', ''],
    ['9lives', '9lives'],
    ['café', 'caf_'],
    ['emoji😀x', 'emoji_x'],
  ];
  for (const [key, want] of cases) {
    it(`${JSON.stringify(key)} → ${JSON.stringify(want)}`, () => assert.equal(sanitizeLabelName(key), want));
  }
});

describe('containerLabels', () => {
  const cases: Array<{
    name: string;
    labels: Record<string, string>;
    restarts?: number;
    allow: string[] | 'all';
    want: Record<string, string>;
  }> = [
    {
      name: 'every label, sanitized, in sorted order',
      labels: { 'vigil.test': '1', 'com.docker.compose.service': 'mem', 'vigil.role': 'mem' },
      allow: 'all',
      want: {
        container_label_com_docker_compose_service: 'mem',
        container_label_vigil_role: 'mem',
        container_label_vigil_test: '1',
      },
    },
    {
      name: 'the allowlist names raw keys',
      labels: { 'vigil.test': '1', 'com.docker.compose.service': 'mem', vigil_test: 'x' },
      allow: ['com.docker.compose.service', 'missing'],
      want: { container_label_com_docker_compose_service: 'mem' },
    },
    { name: 'an empty allowlist keeps nothing', labels: { a: '1' }, allow: [], want: {} },
    {
      name: 'two keys that sanitize alike: the first raw key in code-unit order wins',
      labels: { a_b: 'underscore', 'a.b': 'dot', 'a-b': 'dash' },
      allow: 'all',
      want: { container_label_a_b: 'dash' },
    },
    {
      name: 'restartcount added when above 0',
      labels: { app: 'x' },
      restarts: 3,
      allow: 'all',
      want: { container_label_app: 'x', container_label_restartcount: '3' },
    },
    { name: 'no restartcount at 0', labels: {}, restarts: 0, allow: 'all', want: {} },
    {
      name: 'restartcount replaces a Docker label of that name',
      labels: { restartcount: 'mine' },
      restarts: 2,
      allow: 'all',
      want: { container_label_restartcount: '2' },
    },
    {
      name: 'restartcount under an allowlist only when listed',
      labels: { app: 'x' },
      restarts: 1,
      allow: ['app'],
      want: { container_label_app: 'x' },
    },
    {
      name: 'restartcount listed',
      labels: { app: 'x' },
      restarts: 1,
      allow: ['restartcount'],
      want: { container_label_restartcount: '1' },
    },
    { name: 'empty values stay', labels: { 'e.mpty': '' }, allow: 'all', want: { container_label_e_mpty: '' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = containerLabels(meta(c.labels, c.restarts), c.allow);
      assert.deepEqual(got, c.want);
      assert.deepEqual(Object.keys(got), Object.keys(c.want).sort());
    });
  }

  it('hands back the same frozen object for the same meta and allowlist', () => {
    const m = meta({ 'a.b': '1' });
    const all = containerLabels(m, 'all');
    assert.equal(containerLabels(m, 'all'), all);
    assert.ok(Object.isFrozen(all));
    const list = ['a.b'];
    assert.notEqual(containerLabels(m, list), all);
    assert.deepEqual(containerLabels(m, list), all);
  });
});
