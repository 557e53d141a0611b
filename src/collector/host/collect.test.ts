// The host collector on fixture /proc and /sys trees (missing and unreadable files, counters going backwards,
// devices coming and going) and on the real host (label reuse, cost per pass).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MetricFamily } from '../../exposition/index.ts';
import { HostCollector } from './collect.ts';
import { HostOptionError } from './errors.ts';
import { machineInfo } from './machine.ts';
import type { ProblemLog } from './problems.ts';

/** A ProblemLog that keeps each key's first message, as the real one logs it once. */
class Problems implements ProblemLog {
  readonly seen = new Map<string, string>();
  calls = 0;
  once(key: string, message: string): void {
    this.calls++;
    if (!this.seen.has(key)) this.seen.set(key, message);
  }
}

function series(fams: readonly MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of fams)
    for (const s of f.samples) out.set(`${s.name}${s.labels.size > 0 ? s.labels.toString() : ''}`, s.value);
  return out;
}

const roots: string[] = [];
after(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A fixture root with proc/, sys/ and the host files given, relative to it. */
function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vigil-host-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

function collector(root: string): HostCollector {
  return new HostCollector({
    procPath: join(root, 'proc'),
    sysPath: join(root, 'sys'),
    rootPath: root,
    slowRefreshMs: 10_000,
  });
}

const stat = (iowait: number, idle: number) =>
  `cpu  1 0 1 ${idle} ${iowait} 0 0 0 0 0\ncpu0 100 0 50 ${idle} ${iowait} 0 0 0 0 0\nbtime 1700000000\nctxt 5\n`;

describe('the host collector on a fixture tree', () => {
  it('collects what is there, reports each missing file once, and never throws', () => {
    const root = fixture({
      'proc/stat': stat(10, 1000),
      'proc/meminfo': 'MemTotal:  1000 kB\nSwapTotal: 0 kB\nActive(anon): 10 kB\n',
      'proc/mounts': 'tmpfs / tmpfs rw 0 0\n',
      'etc/machine-id': 'abc\n',
      'proc/sys/kernel/random/boot_id': 'b-1\n',
      'proc/cpuinfo': 'processor\t: 0\nphysical id\t: 0\ncore id\t: 0\n\n',
    });
    mkdirSync(join(root, 'proc/loadavg')); // unreadable: a directory where a file should be
    const c = collector(root);
    const problems = new Problems();
    let s = new Map<string, number>();
    for (let i = 0; i < 3; i++) s = series(c.collect(1_000 + i * 1000, problems));
    assert.equal(s.get('node_cpu_seconds_total{cpu="0", mode="user"}'), 1);
    assert.equal(s.get('node_boot_time_seconds'), 1700000000);
    assert.equal(s.get('node_memory_Active_anon_bytes'), 10 * 1024);
    assert.equal(s.get('node_time_seconds'), 3);
    assert.equal(s.get('machine_memory_bytes{boot_id="b-1", machine_id="abc"}'), 1000 * 1024);
    assert.equal(s.get('node_filesystem_device_error{device="tmpfs", fstype="tmpfs", mountpoint="/"}'), 0);
    assert.ok(!s.has('node_load1'));
    assert.ok(!s.has('node_procs_running'), 'a line the file lacks is not made up');
    const keys = [...problems.seen.keys()];
    for (const want of ['proc/loadavg', 'proc/diskstats', 'proc/net/dev', 'proc/vmstat', 'proc/sys/fs/file-nr']) {
      assert.ok(
        keys.some((k) => k.endsWith(want)),
        `${want} reported; got ${keys.join(', ')}`,
      );
    }
    assert.match(problems.seen.get(`host:read:${join(root, 'proc/loadavg')}`) ?? '', /EISDIR/);
    assert.ok(problems.seen.has('host:pressure'));
  });

  it('keeps CPU counters from going backwards and starts a CPU over after a hotplug', () => {
    const root = fixture({ 'proc/stat': stat(500, 100_000) });
    const c = collector(root);
    const p = new Problems();
    const iowait = () => series(c.collect(0, p)).get('node_cpu_seconds_total{cpu="0", mode="iowait"}');
    const idle = () => series(c.collect(0, p)).get('node_cpu_seconds_total{cpu="0", mode="idle"}');
    assert.equal(iowait(), 5);
    writeFileSync(join(root, 'proc/stat'), stat(400, 100_100));
    assert.equal(iowait(), 5, 'iowait went back: the previous value stays');
    writeFileSync(join(root, 'proc/stat'), stat(450, 100_200));
    assert.equal(iowait(), 5);
    writeFileSync(join(root, 'proc/stat'), stat(600, 100_300));
    assert.equal(iowait(), 6);
    writeFileSync(join(root, 'proc/stat'), stat(10, 50));
    assert.equal(idle(), 0.5, 'idle fell by more than 3 s: the CPU starts over');
    assert.equal(iowait(), 0.1);
  });

  it('follows mounts, disks and interfaces that come and go', () => {
    const root = fixture({
      'proc/mounts': '/dev/sda1 / ext4 rw 0 0\n',
      'proc/diskstats': '   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n',
      'proc/net/dev': 'h1\nh2\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
      'sys/class/net/eth0/operstate': 'up\n',
      'sys/class/net/eth0/mtu': '1500\n',
      'sys/class/net/eth0/address': '02:00:00:00:00:01\n',
    });
    mkdirSync(join(root, 'data'));
    const c = collector(root);
    const p = new Problems();
    let s = series(c.collect(0, p));
    assert.equal(s.get('node_network_mtu_bytes{device="eth0"}'), 1500);
    assert.equal(s.get('node_network_up{device="eth0"}'), 1);
    assert.equal(s.get('node_disk_reads_completed_total{device="sda"}'), 1);
    assert.equal(s.get('node_filesystem_readonly{device="/dev/sda1", fstype="ext4", mountpoint="/"}'), 0);

    writeFileSync(
      join(root, 'proc/mounts'),
      '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /data xfs ro 0 0\n/dev/sdc1 /gone xfs rw 0 0\n',
    );
    writeFileSync(join(root, 'proc/diskstats'), '   8      16 sdb 1 2 3 4 5 6 7 8 9 10 11\n');
    writeFileSync(join(root, 'proc/net/dev'), 'h1\nh2\n  veth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n');
    mkdirSync(join(root, 'sys/class/net/veth1'), { recursive: true });
    writeFileSync(join(root, 'sys/class/net/veth1/operstate'), 'down\n');
    writeFileSync(join(root, 'sys/class/net/eth0/operstate'), 'down\n');
    s = series(c.collect(1000, p));
    assert.equal(s.get('node_filesystem_readonly{device="/dev/sdb1", fstype="xfs", mountpoint="/data"}'), 1);
    assert.equal(s.get('node_filesystem_device_error{device="/dev/sdc1", fstype="xfs", mountpoint="/gone"}'), 1);
    assert.ok(!s.has('node_filesystem_size_bytes{device="/dev/sdc1", fstype="xfs", mountpoint="/gone"}'));
    assert.ok([...p.seen.keys()].some((k) => k.startsWith('host:statfs:')));
    assert.ok(!s.has('node_disk_reads_completed_total{device="sda"}'));
    assert.equal(s.get('node_disk_reads_completed_total{device="sdb"}'), 1);
    assert.ok(!s.has('node_network_up{device="eth0"}'), 'a removed interface is forgotten');
    assert.equal(s.get('node_network_up{device="veth1"}'), 0, 'a new interface is read at once');
  });

  it('re-reads operstate every pass and the slow properties every slowRefreshMs', () => {
    const root = fixture({
      'proc/net/dev': 'h1\nh2\n  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
      'sys/class/net/eth0/operstate': 'up\n',
      'sys/class/net/eth0/mtu': '1500\n',
    });
    const c = collector(root);
    const p = new Problems();
    series(c.collect(0, p));
    writeFileSync(join(root, 'sys/class/net/eth0/operstate'), 'down\n');
    writeFileSync(join(root, 'sys/class/net/eth0/mtu'), '9000\n');
    let s = series(c.collect(5_000, p));
    assert.equal(s.get('node_network_up{device="eth0"}'), 0);
    assert.equal(s.get('node_network_mtu_bytes{device="eth0"}'), 1500);
    s = series(c.collect(10_000, p));
    assert.equal(s.get('node_network_mtu_bytes{device="eth0"}'), 9000);
  });

  it('rejects a negative refresh interval, naming it', () => {
    assert.throws(
      () => new HostCollector({ slowRefreshMs: -1 }),
      (e: unknown) => e instanceof HostOptionError && e.field === 'slowRefreshMs' && e.code === 'COLLECTOR_HOST_OPTION',
    );
  });
});

describe("cAdvisor's machine document", () => {
  it("has cAdvisor's JSON fields, consistent with /proc", () => {
    const m = machineInfo(Date.now());
    const keys = Object.keys(JSON.parse(JSON.stringify(m))).sort();
    for (const k of [
      'boot_id',
      'cloud_provider',
      'cpu_frequency_khz',
      'disk_map',
      'filesystems',
      'instance_type',
      'machine_id',
      'memory_capacity',
      'network_devices',
      'num_cores',
      'num_physical_cores',
      'num_sockets',
      'swap_capacity',
      'system_uuid',
      'topology',
    ]) {
      assert.ok(keys.includes(k), k);
    }
    assert.equal(m.cloud_provider, 'Unknown');
    assert.equal(m.instance_type, 'Unknown');
    const cpus = new Set(series(new HostCollector().collect(Date.now(), new Problems())).keys());
    const logical = [...cpus].filter(
      (k) => k.startsWith('node_cpu_seconds_total{') && k.includes('mode="idle"'),
    ).length;
    assert.equal(m.num_cores, logical);
    assert.equal(
      m.topology.reduce((n, node) => n + node.cores.reduce((c, core) => c + core.thread_ids.length, 0), 0),
      logical,
    );
    assert.ok(m.num_physical_cores >= 1 && m.num_physical_cores <= logical);
    assert.ok(m.num_sockets >= 1);
    assert.ok(m.memory_capacity > 0);
    assert.ok(m.network_devices.every((d) => d.name !== 'lo' && !d.name.startsWith('veth')));
    for (const f of m.filesystems)
      assert.deepEqual(Object.keys(f).sort(), ['capacity', 'device', 'has_inodes', 'inodes', 'type']);
    for (const [key, d] of Object.entries(m.disk_map)) assert.equal(key, `${d.major}:${d.minor}`);
  });

  it('reads a machine without NUMA or cpufreq from fixture files', () => {
    const root = fixture({
      'proc/cpuinfo': 'processor\t: 0\ncpu MHz\t\t: 2000.5\n\nprocessor\t: 1\ncpu MHz\t\t: 2000.5\n',
      'proc/meminfo': 'MemTotal: 2048 kB\nSwapTotal: 1024 kB\n',
      'sys/devices/system/cpu/online': '0-1\n',
      'sys/devices/system/cpu/cpu0/topology/core_id': '0\n',
      'sys/devices/system/cpu/cpu0/topology/physical_package_id': '0\n',
      'sys/devices/system/cpu/cpu1/topology/core_id': '0\n',
      'sys/devices/system/cpu/cpu1/topology/physical_package_id': '0\n',
      'sys/class/net/eth0/address': '02:00:00:00:00:01\n',
      'sys/class/net/eth0/mtu': '1500\n',
      'sys/class/net/lo/address': '00:00:00:00:00:00\n',
      'sys/block/sda/dev': '8:0\n',
      'sys/block/sda/size': '2048\n',
      'sys/block/sda/queue/scheduler': 'none [mq-deadline]\n',
      'sys/block/loop0/dev': '7:0\n',
    });
    const p = new Problems();
    const m = machineInfo(0, p, { procPath: join(root, 'proc'), sysPath: join(root, 'sys'), rootPath: root });
    assert.equal(m.num_cores, 2);
    assert.equal(m.num_physical_cores, 1, 'two threads of one core (from sysfs: cpuinfo has no core id)');
    assert.equal(m.num_sockets, 1);
    assert.equal(m.cpu_frequency_khz, 2000500);
    assert.equal(m.memory_capacity, 2048 * 1024);
    assert.equal(m.swap_capacity, 1024 * 1024);
    assert.deepEqual(m.network_devices, [{ name: 'eth0', mac_address: '02:00:00:00:00:01', speed: 0, mtu: 1500 }]);
    assert.deepEqual(m.disk_map, {
      '8:0': { name: 'sda', major: 8, minor: 0, size: 2048 * 512, scheduler: 'mq-deadline' },
    });
    assert.deepEqual(m.topology, [
      {
        node_id: 0,
        memory: 2048 * 1024,
        hugepages: [],
        cores: [{ core_id: 0, thread_ids: [0, 1], caches: [], uncore_caches: [], socket_id: 0 }],
        caches: [],
        distances: [],
      },
    ]);
    assert.equal(m.machine_id, '');
    assert.ok(
      [...p.seen.keys()].some((k) => k.includes('machine-id')),
      'a missing machine-id is reported',
    );
  });
});

describe('the host collector on this machine', () => {
  it('reuses Labels objects for stable series between passes', () => {
    const c = new HostCollector();
    const p = new Problems();
    const first = c.collect(Date.now(), p);
    const second = c.collect(Date.now(), p);
    const labels = new Map<string, unknown>();
    for (const f of first) for (const s of f.samples) labels.set(`${s.name}${s.labels.toString()}`, s.labels);
    let same = 0;
    let total = 0;
    for (const f of second) {
      for (const s of f.samples) {
        if (s.labels.size === 0) continue;
        total++;
        if (labels.get(`${s.name}${s.labels.toString()}`) === s.labels) same++;
      }
    }
    assert.ok(total > 50);
    assert.equal(same, total);
  });

  it('keeps the files it reads every pass open, and close() releases them', () => {
    const fds = () => readdirSync('/proc/self/fd').length;
    const before = fds();
    const c = new HostCollector();
    c.collect(Date.now(), new Problems());
    const open = fds() - before;
    c.collect(Date.now(), new Problems());
    assert.ok(open > 10 && open < 100, `${open} files kept open`);
    assert.equal(fds() - before, open, 'a second pass opens nothing more');
    c.close();
    c.close();
    assert.equal(fds(), before);
    assert.ok(series(c.collect(Date.now(), new Problems())).has('node_load1'), 'usable after close');
    c.close();
  });

  it('costs well under a millisecond per pass (median of 200)', (t) => {
    const c = new HostCollector();
    const p = new Problems();
    for (let i = 0; i < 20; i++) c.collect(Date.now(), p);
    const us: number[] = [];
    let samples = 0;
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      const fams = c.collect(Date.now(), p);
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
      samples = fams.reduce((n, f) => n + f.samples.length, 0);
    }
    us.sort((a, b) => a - b);
    const median = us[100] as number;
    t.diagnostic(
      `collectHost: median ${median.toFixed(0)} µs, p90 ${(us[180] as number).toFixed(0)} µs, ${samples} samples`,
    );
    // Generous for a loaded 2-core CI machine; measured ~300 µs here.
    assert.ok(median < 5_000, `median ${median} µs`);
  });
});
