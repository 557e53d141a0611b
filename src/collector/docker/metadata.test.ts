import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContainerMeta } from '../types.ts';
import { systemClock } from './clock.ts';
import { DockerHostError } from './errors.ts';
import { DockerMetadata, type DockerMetadataOptions } from './metadata.ts';
import { containerEvent, FakeDockerd, haveSamples, hexId, inspectRecord, readSample, tempSocket } from './testing.ts';

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A ProblemLog that remembers every call, and what `once` would have logged. */
class Problems {
  readonly calls: Array<[string, string]> = [];
  readonly logged: Array<[string, string]> = [];
  readonly forgotten: string[] = [];
  private readonly seen = new Set<string>();
  once(key: string, message: string): void {
    this.calls.push([key, message]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.logged.push([key, message]);
  }
  forget(key: string): void {
    this.seen.delete(key);
    this.forgotten.push(key);
  }
}

/** Milliseconds added to the wall clock, for the unknown-id memory. */
let skewMs = 0;
const clock = { now: () => systemClock.now() + skewMs, setTimer: systemClock.setTimer };

function metadata(socket: string, more: Partial<DockerMetadataOptions> = {}) {
  const problems = new Problems();
  const changes: Array<[string, ContainerMeta | undefined]> = [];
  const m = new DockerMetadata({
    host: `unix://${socket}`,
    env: {},
    problems,
    clock,
    requestTimeoutMs: 500,
    eventRetryInitialMs: 10,
    eventRetryMaxMs: 50,
    unknownRetryMs: 60_000,
    onChange: (id, meta) => changes.push([id, meta]),
    ...more,
  });
  return { m, problems, changes };
}

const netId = '66cef60274762af90d0fa2945b0383cbe2b18d6c92dd6678d8cc50445c986279';
const memId = '6985cfdfac2386c0ac6376df888d4f7072ce6a53ec804ba89e2efef81006001f';
const cpuId = '69178e5a2abd';

/** The three recipe containers: vigil-mem from its recorded inspect, the others from the recorded listing. */
function recipe(fake: FakeDockerd): void {
  fake.version = readSample('docker-api-version.json');
  fake.add(readSample('docker-api-container-vigil-mem.json') as Record<string, unknown>);
  for (const c of readSample('docker-api-containers.json') as Array<Record<string, unknown>>) {
    if (c.Id === memId) continue;
    const name = (c.Names as string[])[0]?.slice(1) ?? '';
    fake.add(
      inspectRecord(c.Id as string, name, { image: c.Image as string, labels: c.Labels as Record<string, string> }),
    );
  }
}

describe('DockerMetadata with a daemon', { skip: !haveSamples && 'no ../shared/containers/samples' }, () => {
  const sock = tempSocket();
  const fake = new FakeDockerd();
  let md: ReturnType<typeof metadata>;

  before(async () => {
    recipe(fake);
    await fake.start(sock.path);
    md = metadata(sock.path);
    await md.m.start();
  });
  after(async () => {
    await md.m.close();
    await fake.close();
    sock.cleanup();
  });

  it('knows every running container once start() resolves', () => {
    assert.equal(md.m.reachable, true);
    assert.equal(md.m.daemonVersion?.version, '20.10.24+dfsg1');
    assert.equal(md.m.ids().length, 3);
    const mem = md.m.metaForCgroup(`/docker/${memId}`);
    assert.equal(mem?.name, 'vigil-mem');
    assert.equal(mem?.image, 'vigil-test/busybox:latest');
    assert.equal(mem?.pid, 28767);
    assert.equal(mem?.labels['vigil.role'], 'mem');
    assert.equal(md.m.metaForCgroup(`/system.slice/docker-${netId}.scope`)?.name, 'vigil-net');
    assert.ok(md.m.ids().some((id) => id.startsWith(cpuId)));
    assert.equal(md.m.metaForCgroup('/system.slice/cron.service'), undefined);
    assert.equal(md.m.metaForCgroup('/'), undefined);
    assert.deepEqual(md.problems.calls, []);
  });

  it('inspects an unknown container cgroup on demand, once', async () => {
    const id = hexId('d1');
    fake.add(inspectRecord(id, 'late', { labels: { team: 'a' } }));
    const asked = () => fake.requests.filter((p) => p === `/containers/${id}/json`).length;
    assert.equal(md.m.metaForCgroup(`/docker/${id}`), undefined);
    assert.equal(md.m.metaForCgroup(`/docker/${id}`), undefined);
    await until(() => md.m.metaForCgroup(`/docker/${id}`) !== undefined, 'the on-demand inspect');
    assert.equal(md.m.metaForCgroup(`/docker/${id}`)?.name, 'late');
    assert.equal(asked(), 1);
    assert.deepEqual(md.changes.at(-1)?.[0], id);
  });

  it('remembers ids the daemon does not know, and asks again after unknownRetryMs', async () => {
    const id = hexId('c0');
    const cgroup = `/kubepods.slice/kubepods-pod1.slice/cri-containerd-${id}.scope`;
    const asked = () => fake.requests.filter((p) => p === `/containers/${id}/json`).length;
    assert.equal(await md.m.resolveCgroup(cgroup), undefined);
    assert.equal(asked(), 1);
    for (let i = 0; i < 5; i++) assert.equal(md.m.metaForCgroup(cgroup), undefined);
    assert.equal(await md.m.resolveCgroup(cgroup), undefined);
    assert.equal(asked(), 1);
    skewMs = 60_000;
    try {
      assert.equal(await md.m.resolveCgroup(cgroup), undefined);
      assert.equal(asked(), 2);
    } finally {
      skewMs = 0;
    }
    assert.deepEqual(md.problems.calls, []);
  });

  it('follows rename, health_status, update, die, destroy and start events', async () => {
    const id = hexId('e5');
    fake.add(inspectRecord(id, 'app', { health: 'starting' }));
    fake.emit(containerEvent('start', id));
    await until(() => md.m.metaForId(id) !== undefined, 'start');
    assert.equal(md.m.metaForId(id)?.health, 0);

    (fake.containers.get(id) as { Name: string }).Name = '/app-renamed';
    fake.emit(containerEvent('rename', id, { oldName: '/app', name: 'app-renamed' }));
    await until(() => md.m.metaForId(id)?.name === 'app-renamed', 'rename');

    fake.add(inspectRecord(id, 'app-renamed', { health: 'healthy' }));
    fake.emit(containerEvent('health_status: healthy', id));
    await until(() => md.m.metaForId(id)?.health === 1, 'health_status');

    fake.add(inspectRecord(id, 'app-renamed', { health: 'healthy', restarts: 2 }));
    fake.emit(containerEvent('update', id));
    await until(() => md.m.metaForId(id)?.restartCount === 2, 'update');

    const record = inspectRecord(id, 'app-renamed', { health: 'healthy', restarts: 2 });
    (record.State as Record<string, unknown>).Running = false;
    (record.State as Record<string, unknown>).Pid = 0;
    fake.add(record);
    fake.emit(containerEvent('die', id));
    await until(() => md.m.metaForId(id)?.pid === 0, 'die');

    fake.containers.delete(id);
    fake.emit(containerEvent('destroy', id));
    await until(() => md.m.metaForId(id) === undefined, 'destroy');
    assert.deepEqual(md.changes.at(-1), [id, undefined]);
  });

  it('keeps the same meta object (and calls no listener) when a re-read changes nothing', async () => {
    const before = md.m.metaForId(memId);
    const changes = md.changes.length;
    const asked = () => fake.requests.filter((p) => p === `/containers/${memId}/json`).length;
    const n = asked();
    fake.emit(containerEvent('update', memId));
    await until(() => asked() > n, 'the re-inspect');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(md.m.metaForId(memId), before);
    assert.equal(md.changes.length, changes);
  });

  it('ignores events of other types and of short ids', async () => {
    const n = fake.requests.length;
    fake.emit({ Type: 'network', Action: 'connect', Actor: { ID: hexId('f'), Attributes: {} } });
    fake.emit(containerEvent('start', 'abc'));
    fake.emit(containerEvent('exec_start: sh', memId));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(fake.requests.length, n);
  });
});

describe('DockerMetadata when the daemon comes and goes', () => {
  it('starts without a daemon, logs once, keeps retrying, and fills in when it appears', async () => {
    const sock = tempSocket();
    const md = metadata(sock.path);
    await md.m.start();
    assert.equal(md.m.reachable, false);
    const id = hexId('a1');
    assert.equal(md.m.metaForCgroup(`/docker/${id}`), undefined);
    assert.equal(await md.m.resolveCgroup(`/docker/${id}`), undefined);
    await until(() => md.problems.calls.length >= 3, 'a few failed attempts');
    assert.deepEqual(
      md.problems.logged.map(([k]) => k),
      ['docker.unreachable'],
    );
    assert.match(md.problems.logged[0]?.[1] ?? '', /not reachable .*ENOENT.*raw cgroups/);

    const fake = new FakeDockerd();
    fake.add(inspectRecord(id, 'first'));
    await fake.start(sock.path);
    await until(() => md.m.metaForCgroup(`/docker/${id}`)?.name === 'first', 'the first listing');
    assert.equal(md.m.reachable, true);
    assert.deepEqual(md.problems.forgotten, ['docker.unreachable']);
    await md.m.close();
    await fake.close();
    sock.cleanup();
  });

  it('survives a daemon restart: keeps what it knew, then resynchronizes', async () => {
    const sock = tempSocket();
    const stays = hexId('5a');
    const goes = hexId('60');
    const comes = hexId('c3');
    let fake = new FakeDockerd();
    fake.add(inspectRecord(stays, 'stays'));
    fake.add(inspectRecord(goes, 'goes'));
    await fake.start(sock.path);
    const md = metadata(sock.path);
    await md.m.start();
    assert.equal(md.m.ids().length, 2);

    await fake.close();
    await until(() => md.m.reachable === false, 'noticing the daemon is gone');
    await until(() => md.problems.calls.length >= 3, 'a few retries');
    assert.equal(md.problems.logged.length, 1);
    assert.equal(md.m.metaForCgroup(`/docker/${stays}`)?.name, 'stays');
    assert.equal(md.m.metaForCgroup(`/docker/${comes}`), undefined);

    fake = new FakeDockerd();
    fake.add(inspectRecord(stays, 'stays'));
    fake.add(inspectRecord(comes, 'comes'));
    await fake.start(sock.path);
    await until(() => md.m.metaForId(comes) !== undefined && md.m.metaForId(goes) === undefined, 'the resync');
    assert.deepEqual(md.m.ids().sort(), [comes, stays].sort());
    await md.m.close();
    await fake.close();
    sock.cleanup();
  });

  it('lists containers even when the daemon refuses the event stream', async () => {
    const sock = tempSocket();
    const fake = new FakeDockerd();
    fake.add(inspectRecord(hexId('b7'), 'listed'));
    fake.overrides.push((_req, res, url) => {
      if (url.pathname !== '/events') return false;
      res.writeHead(501, { 'Content-Type': 'application/json' }).end('{"message":"not implemented"}');
      return true;
    });
    await fake.start(sock.path);
    const md = metadata(sock.path);
    await md.m.start();
    assert.equal(md.m.metaForId(hexId('b7'))?.name, 'listed');
    assert.deepEqual(
      md.problems.logged.map(([k]) => k),
      ['docker.events'],
    );
    assert.match(md.problems.logged[0]?.[1] ?? '', /status 501: not implemented/);
    await md.m.close();
    await fake.close();
    sock.cleanup();
  });

  it('closes idempotently, and asks nothing after', async () => {
    const sock = tempSocket();
    const fake = new FakeDockerd();
    await fake.start(sock.path);
    const md = metadata(sock.path);
    await md.m.start();
    await Promise.all([md.m.close(), md.m.close()]);
    const n = fake.requests.length;
    assert.equal(md.m.metaForCgroup(`/docker/${hexId('1f')}`), undefined);
    assert.equal(await md.m.resolveCgroup(`/docker/${hexId('1f')}`), undefined);
    await md.m.start();
    assert.equal(fake.requests.length, n);
    await until(() => fake.streams.size === 0, 'the stream to close');
    await fake.close();
    sock.cleanup();
  });
});

describe('DockerMetadata options', () => {
  it('reads DOCKER_HOST when no host is configured, and refuses ssh:// clearly', async () => {
    const problems = new Problems();
    const m = new DockerMetadata({ problems, env: { DOCKER_HOST: 'unix:///run/podman/podman.sock' } });
    assert.equal(m.client.endpoint.url, 'unix:///run/podman/podman.sock');
    await m.close();
    assert.throws(
      () => new DockerMetadata({ problems, env: { DOCKER_HOST: 'ssh://me@box' } }),
      (e: unknown) => e instanceof DockerHostError && /ssh:\/\/ is not supported/.test(e.message),
    );
    assert.throws(() => new DockerMetadata({ problems, host: 'unix:///x', syncConcurrency: 0 }), /syncConcurrency/);
  });
});
