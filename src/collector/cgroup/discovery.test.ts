import assert from 'node:assert/strict';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { CgroupDiscovery } from './discovery.ts';
import { layoutFromMounts, layoutFromTree, parseCgroupMounts } from './mounts.ts';
import { fixtureTree, realCgroupsUnavailable, sleep, TestCgroup } from './testing.ts';

const samples = new URL('../../../../shared/containers/samples/', import.meta.url).pathname;

describe('cgroup layout from mountinfo', () => {
  const cases: {
    name: string;
    mountinfo: string;
    root: string;
    want: { version: 1 | 2; hierarchies: { dir: string; keys: string[]; discovers: boolean }[] };
  }[] = [
    {
      name: 'v1 hybrid, separate cpu and cpuacct, named systemd and freezer ignored',
      root: '/sys/fs/cgroup',
      mountinfo: [
        '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
        '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
        '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
        '37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer',
        '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
        '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
        '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
      ].join('\n'),
      want: {
        version: 1,
        hierarchies: [
          { dir: '/sys/fs/cgroup/cpu', keys: ['cpu'], discovers: true },
          { dir: '/sys/fs/cgroup/cpuacct', keys: ['cpuacct'], discovers: true },
          { dir: '/sys/fs/cgroup/memory', keys: ['memory'], discovers: true },
          { dir: '/sys/fs/cgroup/unified', keys: ['unified'], discovers: false },
        ],
      },
    },
    {
      name: 'v1 with comounted cpu,cpuacct and net_cls,net_prio; optional fields before the separator',
      root: '/sys/fs/cgroup',
      mountinfo: [
        '25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct',
        '26 24 0:23 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid shared:10 - cgroup cgroup rw,net_cls,net_prio',
        '27 24 0:24 / /sys/fs/cgroup/blkio rw,nosuid shared:11 - cgroup cgroup rw,blkio',
      ].join('\n'),
      want: {
        version: 1,
        hierarchies: [
          { dir: '/sys/fs/cgroup/cpu,cpuacct', keys: ['cpu', 'cpuacct'], discovers: true },
          { dir: '/sys/fs/cgroup/blkio', keys: ['blkio'], discovers: true },
        ],
      },
    },
    {
      name: 'pure v2',
      root: '/sys/fs/cgroup',
      mountinfo: '30 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot',
      want: { version: 2, hierarchies: [{ dir: '/sys/fs/cgroup', keys: ['unified'], discovers: true }] },
    },
    {
      name: 'mounts outside the root are not ours',
      root: '/sys/fs/cgroup',
      mountinfo: '99 1 0:90 / /tmp/other rw - cgroup2 cgroup2 rw',
      want: { version: 2, hierarchies: [] },
    },
    {
      name: 'mount point with an escaped space',
      root: '/mnt/cg roup',
      mountinfo: '99 1 0:90 / /mnt/cg\\040roup/memory rw - cgroup cgroup rw,memory',
      want: { version: 1, hierarchies: [{ dir: '/mnt/cg roup/memory', keys: ['memory'], discovers: true }] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(layoutFromMounts(parseCgroupMounts(c.mountinfo), c.root), c.want);
    });
  }
});

describe('discovery on recorded trees (no mount: layout from the directories)', () => {
  const trees: string[] = [];
  after(() => {
    for (const t of trees) rmSync(t, { recursive: true, force: true });
  });

  test('pure v2 (the qemu dump): every cgroup, version 2, one unified dir each', () => {
    const root = fixtureTree(`${samples}cgroup-v2-vm-dump.txt`, 'v2');
    trees.push(root);
    mkdirSync(`${root}/vigil-test/boot.mount/inner`, { recursive: true });
    const refs = new CgroupDiscovery({ root }).scan();
    assert.deepEqual(
      refs.map((r) => [r.id, r.version, r.dirs]),
      [
        ['/', 2, { unified: root }],
        ['/vigil-test', 2, { unified: `${root}/vigil-test` }],
        ['/vigil-test/vigil-cpu', 2, { unified: `${root}/vigil-test/vigil-cpu` }],
        ['/vigil-test/vigil-mem', 2, { unified: `${root}/vigil-test/vigil-mem` }],
        ['/vigil-test/vigil-net', 2, { unified: `${root}/vigil-test/vigil-net` }],
      ],
    );
  });

  test('v1 hybrid (the docker dump): per-controller dirs merged by path, unified added', () => {
    const root = fixtureTree(`${samples}cgroup-v1-docker-dump.txt`, 'v1');
    trees.push(root);
    const refs = new CgroupDiscovery({ root }).scan();
    assert.equal(layoutFromTree(root).version, 1);
    assert.deepEqual(
      refs.map((r) => r.id),
      ['/', '/docker', '/docker/vigil-cpu', '/docker/vigil-mem', '/docker/vigil-net'],
    );
    const mem = refs.find((r) => r.id === '/docker/vigil-mem');
    assert.deepEqual(Object.keys(mem?.dirs ?? {}).sort(), [
      'blkio',
      'cpu',
      'cpuacct',
      'cpuset',
      'memory',
      'pids',
      'unified',
    ]);
    assert.equal(mem?.dirs.memory, `${root}/memory/docker/vigil-mem`);
  });
});

const unavailable = realCgroupsUnavailable();

describe('discovery on this host', { skip: unavailable ?? false }, () => {
  const made: TestCgroup[] = [];
  after(async () => {
    for (const cg of made.reverse()) await cg.destroy();
  });

  test('finds the root first, a new cgroup and its nested child, merged across controllers; *.mount left out', () => {
    const discovery = new CgroupDiscovery();
    const layout = discovery.layout();
    const parent = TestCgroup.create();
    made.push(parent);
    const child = TestCgroup.create(parent, 'nested');
    made.push(child);
    const mount = TestCgroup.create(parent, 'var-lib.mount');
    made.push(mount);
    const refs = discovery.scan();
    assert.equal(refs[0]?.id, '/');
    assert.equal(refs[0]?.version, layout.version);
    const p = refs.find((r) => r.id === parent.id);
    const c = refs.find((r) => r.id === child.id);
    assert.ok(p !== undefined && c !== undefined, `${parent.id} and ${child.id} found`);
    assert.deepEqual(p.dirs, parent.dirs);
    assert.deepEqual(c.dirs, child.dirs);
    assert.equal(
      refs.some((r) => r.id === mount.id),
      false,
    );
    const ids = refs.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'one ref per path');
  });

  test('watch: mkdir, nested mkdir and rmdir each reported within one interval; nothing after close', async () => {
    const discovery = new CgroupDiscovery();
    let changes = 0;
    discovery.watch(() => changes++);
    const before = discovery.watchedDirectories();
    assert.ok(before > 0);
    const waitChange = async (what: string): Promise<void> => {
      const start = changes;
      for (let i = 0; i < 100 && changes === start; i++) await sleep(10);
      assert.ok(changes > start, `change reported after ${what}`);
    };
    const cg = TestCgroup.create();
    made.push(cg);
    await waitChange('mkdir');
    assert.ok(discovery.watchedDirectories() > before, 'the new cgroup is watched too');
    const nested = TestCgroup.create(cg, 'nested');
    made.push(nested);
    await waitChange('mkdir of a child of the new cgroup');
    await nested.destroy();
    await waitChange('rmdir');
    discovery.close();
    assert.equal(discovery.watchedDirectories(), 0);
    const after = changes;
    const dir = Object.values(cg.dirs)[0] as string;
    mkdirSync(`${dir}/late`);
    rmdirSync(`${dir}/late`);
    await sleep(100);
    assert.equal(changes, after);
  });
});
