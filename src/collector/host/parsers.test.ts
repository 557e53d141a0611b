// The kernel-file parsers on fixture text: each case is a file's text and what the parser must make of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricFamily } from '../../exposition/index.ts';
import { parseCpuinfo, parseCpuList } from './cpuinfo.ts';
import { TextCursor } from './cursor.ts';
import { DiskCollector, diskInfo, parseUdevData } from './disk.ts';
import { diskstatsColumns, parseDiskstats } from './diskstats.ts';
import { collectEntropy, collectFilefd } from './kernel-files.ts';
import { parseLoadavg } from './loadavg.ts';
import { type MeminfoField, meminfoKey, parseMeminfo } from './meminfo.ts';
import { isReadOnly, parseMounts, unescapeMountPoint } from './mounts.ts';
import { netdevColumns, parseNetDev } from './netdev.ts';
import { osVersion, parseOsRelease } from './os-release.ts';
import { collectPressure, psiTotal } from './pressure.ts';
import { parseProcStat } from './proc-stat.ts';
import { parsePosixZone } from './time-zone.ts';
import { VmstatCollector } from './vmstat.ts';

/** `{name: value}` of the unlabelled samples in `fams`. */
function values(fams: readonly MetricFamily[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fams)
    for (const s of f.samples) out[`${s.name}${s.labels.size > 0 ? s.labels.toString() : ''}`] = s.value;
  return out;
}

describe('TextCursor.number', () => {
  const cases: [string, number][] = [
    ['12', 12],
    ['  7 rest', 7],
    ['-1', -1],
    ['0.47', 0.47],
    ['1e3', 1000],
    ['0x1003', 4099],
    ['abc', Number.NaN],
    ['', Number.NaN],
    ['-', Number.NaN],
    ['18446744073709551615', 2 ** 64],
  ];
  for (const [text, want] of cases) {
    it(JSON.stringify(text), () => assert.equal(new TextCursor().reset(text).number(), want));
  }
});

describe('meminfo', () => {
  const keys: [string, boolean, string][] = [
    ['MemTotal', true, 'MemTotal_bytes'],
    ['Active(anon)', true, 'Active_anon_bytes'],
    ['Inactive(file)', true, 'Inactive_file_bytes'],
    ['HugePages_Total', false, 'HugePages_Total'],
    ['Hugepagesize', true, 'Hugepagesize_bytes'],
  ];
  for (const [raw, unit, want] of keys) it(`names ${raw} ${want}`, () => assert.equal(meminfoKey(raw, unit), want));

  const text = [
    'MemTotal:       24684092 kB',
    'Active(anon):       1536 kB',
    'HugePages_Total:       4',
    'HugePages_Free:        0',
    'Hugepagesize:       2048 kB',
    '',
  ].join('\n');
  it('scales kB to bytes and leaves counts, caching fields by line', () => {
    const fields: (MeminfoField | undefined)[] = [];
    const got: Record<string, number> = {};
    parseMeminfo(text, fields, (f, v) => {
      got[f.key] = v;
    });
    assert.deepEqual(got, {
      MemTotal_bytes: 24684092 * 1024,
      Active_anon_bytes: 1536 * 1024,
      HugePages_Total: 4,
      HugePages_Free: 0,
      Hugepagesize_bytes: 2048 * 1024,
    });
    const cached = fields[1];
    parseMeminfo(text.replace('1536', '2048'), fields, () => {});
    assert.equal(fields[1], cached, 'an unchanged key reuses its field');
    const again: string[] = [];
    parseMeminfo(text.replace('Active(anon)', 'Active(file)'), fields, (f) => again.push(f.key));
    assert.equal(again[1], 'Active_file_bytes', 'a changed key is noticed');
  });
});

describe('diskstats', () => {
  const cases: [string, string, number, number[]][] = [
    ['14 fields (kernel < 4.18)', '   8       0 sda 100 2 3000 40 50 6 7000 80 1 90 120', 11, [100, 2, 3000, 40]],
    [
      '18 fields (4.18+: discards)',
      ' 254       0 vda 374446 34868 11262058 273070 163959 83904 60971168 159940 0 42504 442831 59885 145 1009550328 8467',
      15,
      [374446, 34868, 11262058, 273070],
    ],
    ['20 fields (5.5+: flushes)', ' 259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17', 17, [1, 2, 3, 4]],
  ];
  for (const [name, line, count, head] of cases) {
    it(name, () => {
      const stats = new Float64Array(diskstatsColumns);
      const seen: [string, number][] = [];
      parseDiskstats(line, stats, (_i, _maj, _min, s, e, n) => {
        seen.push([line.slice(s, e), n]);
        assert.deepEqual([...stats.subarray(0, 4)], head);
      });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.[1], count);
    });
  }
  it("skips old kernels' 7-field partition lines", () => {
    const seen: string[] = [];
    parseDiskstats('   8    1 sda1 10 20 30 40\n', new Float64Array(diskstatsColumns), (_i, _a, _b, s, e) =>
      seen.push(String(s + e)),
    );
    assert.deepEqual(seen, []);
  });

  it('emits node_exporter units and only the columns the kernel prints, skipping excluded devices', () => {
    const text = [
      '   7       0 loop0 1 0 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0',
      '   8       0 sda 100 2 3000 40 50 6 7000 80 1 90 120',
      '   8       1 sda1 100 2 3000 40 50 6 7000 80 1 90 120',
      ' 259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17',
    ].join('\n');
    const c = new DiskCollector(/^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/, () => null, 10_000);
    const out: MetricFamily[] = [];
    c.collect(text, 0, out);
    const v = values(out);
    assert.equal(v['node_disk_read_bytes_total{device="sda"}'], 3000 * 512);
    assert.equal(v['node_disk_read_time_seconds_total{device="sda"}'], 40 * 0.001);
    assert.equal(v['node_disk_io_now{device="sda"}'], 1);
    assert.equal(v['node_disk_discards_completed_total{device="sda"}'], undefined, '14 fields: no discards');
    assert.equal(v['node_disk_discarded_sectors_total{device="nvme0n1"}'], 14);
    assert.equal(v['node_disk_flush_requests_time_seconds_total{device="nvme0n1"}'], 17 * 0.001);
    assert.equal(v['node_disk_info{device="sda", major="8", minor="0"}'], 1);
    assert.ok(!Object.keys(v).some((k) => k.includes('loop0') || k.includes('sda1')));
  });

  it('reads node_disk_info and the udev-derived families from udev properties', () => {
    const props = parseUdevData(
      'S:disk/by-id/ata-X\nE:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=0\nE:ID_MODEL=Samsung_SSD\nE:ID_SERIAL_SHORT=S1\nE:ID_FS_TYPE=ext4\nE:ID_FS_UUID=u-1\nE:DM_NAME=vg-root\n',
    );
    const d = diskInfo('sda', 8, 0, props);
    assert.equal(d.info.toString(), '{device="sda", major="8", minor="0", model="Samsung_SSD", serial="S1"}');
    assert.equal(d.filesystem?.toString(), '{device="sda", type="ext4", uuid="u-1"}');
    assert.equal(d.deviceMapper?.toString(), '{device="sda", name="vg-root"}');
    assert.deepEqual(d.ata, [Number.NaN, Number.NaN, 0]);
  });
});

describe('mounts', () => {
  const text = [
    '/dev/vda / ext4 rw,relatime 0 0',
    '/dev/sdb1 /mnt/my\\040disk ext4 ro,nosuid 0 0',
    '/dev/sdc1 /data/tab\\011here xfs rw 0 0',
    'server:/x\\040y /srv/nfs nfs4 rw,vers=4.2 0 0',
    'broken',
  ].join('\n');
  it('splits fields and decodes \\040 and \\011 in mount points (as node_exporter: the device is left as is)', () => {
    assert.deepEqual(parseMounts(text), [
      { device: '/dev/vda', mountPoint: '/', fsType: 'ext4', options: 'rw,relatime' },
      { device: '/dev/sdb1', mountPoint: '/mnt/my disk', fsType: 'ext4', options: 'ro,nosuid' },
      { device: '/dev/sdc1', mountPoint: '/data/tab\there', fsType: 'xfs', options: 'rw' },
      { device: 'server:/x\\040y', mountPoint: '/srv/nfs', fsType: 'nfs4', options: 'rw,vers=4.2' },
    ]);
  });
  const ro: [string, boolean][] = [
    ['ro', true],
    ['rw,relatime', false],
    ['nosuid,ro', true],
    ['rw,errors=remount-ro', false],
    ['rootcontext=x', false],
  ];
  for (const [opts, want] of ro) it(`readonly(${opts}) = ${want}`, () => assert.equal(isReadOnly(opts), want));
  it('leaves other escapes alone', () => assert.equal(unescapeMountPoint('/a\\134b'), '/a\\134b'));
});

describe('/proc/stat', () => {
  const text = [
    'cpu  4824 0 810 17033 20 0 14 1 0 0',
    'cpu0 2401 0 379 8364 5 0 5 1 0 0',
    'cpu2 2423 0 431 8669 15 0 9 0 3 1',
    'intr 10071205 0 9 0 0',
    'ctxt 19330050',
    'btime 1795985449',
    'processes 161591',
    'procs_running 3',
    'procs_blocked 1',
    'softirq 100 1 2 3',
    '',
  ].join('\n');
  it('reads per-CPU ticks by CPU number (skipping the total) and the system counters', () => {
    const s = parseProcStat(text);
    assert.deepEqual(s.cpuIds, [0, 2]);
    assert.deepEqual(s.cpuTicks.slice(10), [2423, 0, 431, 8669, 15, 0, 9, 0, 3, 1]);
    assert.deepEqual(
      [s.intr, s.ctxt, s.btime, s.processes, s.procsRunning, s.procsBlocked],
      [10071205, 19330050, 1795985449, 161591, 3, 1],
    );
  });
  it('marks columns an old kernel does not print as NaN', () => {
    const s = parseProcStat('cpu0 1 2 3 4\n');
    assert.deepEqual(s.cpuTicks.slice(0, 5), [1, 2, 3, 4, Number.NaN]);
    assert.ok(Number.isNaN(s.btime));
  });
});

describe('/proc/net/dev', () => {
  const text = [
    'Inter-|   Receive                                                |  Transmit',
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
    '    lo: 9146014301 1537592    0    0    0     0          0         0 9146014301 1537592    0    0    0     0       0          0',
    '  eth0:471781722   18083    1    2    3     4          5         6  1345714   14107    7    8    9    10      11         12',
  ].join('\n');
  it('reads the 16 counters per interface, names without padding, even when a number touches the colon', () => {
    const stats = new Float64Array(netdevColumns);
    const got: [string, number[]][] = [];
    parseNetDev(text, stats, (_i, s, e) => got.push([text.slice(s, e), [...stats]]));
    assert.deepEqual(got, [
      ['lo', [9146014301, 1537592, 0, 0, 0, 0, 0, 0, 9146014301, 1537592, 0, 0, 0, 0, 0, 0]],
      ['eth0', [471781722, 18083, 1, 2, 3, 4, 5, 6, 1345714, 14107, 7, 8, 9, 10, 11, 12]],
    ]);
  });
});

describe('small files', () => {
  it('loadavg', () => assert.deepEqual(parseLoadavg('0.47 1.09 1.10 1/234 5678\n'), [0.47, 1.09, 1.1]));
  it('file-nr', () => {
    const out: MetricFamily[] = [];
    collectFilefd('458\t0\t2466177\n', out);
    assert.deepEqual(values(out), { node_filefd_allocated: 458, node_filefd_maximum: 2466177 });
  });
  it('entropy, with the pool size unreadable', () => {
    const out: MetricFamily[] = [];
    collectEntropy('256\n', null, out);
    assert.deepEqual(values(out), { node_entropy_available_bits: 256 });
  });
  it('pressure: some/full totals in µs → seconds; cpu has only `some` on older kernels', () => {
    const io =
      'some avg10=0.00 avg60=0.01 avg300=0.00 total=17105742\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=13092099\n';
    assert.equal(psiTotal(io, 'full'), 13092099);
    const out: MetricFamily[] = [];
    collectPressure('some avg10=0.53 avg60=1.00 avg300=4.69 total=704221546\n', io, null, out);
    assert.deepEqual(values(out), {
      node_pressure_cpu_waiting_seconds_total: 704221546 / 1000 / 1000,
      node_pressure_io_waiting_seconds_total: 17105742 / 1000 / 1000,
      node_pressure_io_stalled_seconds_total: 13092099 / 1000 / 1000,
    });
  });
  it('vmstat keeps node_exporter default fields only, untyped', () => {
    const out: MetricFamily[] = [];
    new VmstatCollector().collect(
      'nr_free_pages 100\npgpgin 5\npgfault 7\npgmajfault 2\nthp_fault_alloc 3\noom_kill 1\n',
      out,
    );
    assert.deepEqual(values(out), {
      node_vmstat_pgpgin: 5,
      node_vmstat_pgfault: 7,
      node_vmstat_pgmajfault: 2,
      node_vmstat_oom_kill: 1,
    });
    assert.ok(out.every((f) => f.type === 'unknown'));
  });
});

describe('system info', () => {
  it('os-release: quotes, escapes, comments', () => {
    const r = parseOsRelease('# c\nNAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\nX=\'a b\'\nY="say \\"hi\\""\n');
    assert.deepEqual(Object.fromEntries(r), {
      NAME: 'Debian GNU/Linux',
      ID: 'debian',
      VERSION_ID: '12',
      X: 'a b',
      Y: 'say "hi"',
    });
  });
  const versions: [string, number][] = [
    ['12', 12],
    ['22.04', 22.04],
    ['3.18.4', 3.18],
    ['rolling', 0],
    ['', 0],
  ];
  for (const [v, want] of versions)
    it(`os version ${JSON.stringify(v)} → ${want}`, () => assert.equal(osVersion(v), want));
  it('POSIX TZ strings', () => {
    assert.deepEqual(parsePosixZone('UTC0'), { std: 'UTC', stdOffsetMin: 0, dst: '' });
    assert.deepEqual(parsePosixZone('CET-1CEST,M3.5.0,M10.5.0/3'), { std: 'CET', stdOffsetMin: 60, dst: 'CEST' });
    assert.deepEqual(parsePosixZone('<+0530>-5:30'), { std: '+0530', stdOffsetMin: 330, dst: '' });
  });
});

describe('cpuinfo', () => {
  const block = (cpu: number, phys: number, core: number) =>
    `processor\t: ${cpu}\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: 2596.124\nphysical id\t: ${phys}\ncore id\t\t: ${core}\n\n`;
  it('counts logical CPUs, (socket, core) pairs and sockets', () => {
    // Two sockets whose core ids repeat (0, 1 on each), two threads per core.
    const text = [
      block(0, 0, 0),
      block(1, 0, 1),
      block(2, 1, 0),
      block(3, 1, 1),
      block(4, 0, 0),
      block(5, 0, 1),
      block(6, 1, 0),
      block(7, 1, 1),
    ].join('');
    assert.deepEqual(parseCpuinfo(text), {
      logical: 8,
      physicalCores: 4,
      sockets: 2,
      clockKhz: 2596124,
      vendorId: 'GenuineIntel',
    });
  });
  it('an ARM cpuinfo without core ids counts none (sysfs decides)', () => {
    const s = parseCpuinfo('processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n');
    assert.equal(s.logical, 2);
    assert.equal(s.physicalCores, 0);
  });
  it('CPU lists', () => {
    assert.deepEqual(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
    assert.deepEqual(parseCpuList('\n'), []);
  });
});
