// The /proc/net table parsers (netstat, snmp6, sockstat, softnet, conntrack, arp, udp) on fixture text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricFamily } from '../../exposition/index.ts';
import { ArpCollector } from './arp.ts';
import { collectConntrack } from './conntrack.ts';
import { NetstatCollector } from './netstat.ts';
import { selinuxConfigMode } from './selinux.ts';
import { collectSockstat } from './sockstat.ts';
import { SoftnetCollector } from './softnet.ts';
import { collectUdpQueues } from './udp-queues.ts';

function values(fams: readonly MetricFamily[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of fams)
    for (const s of f.samples) out[`${s.name}${s.labels.size > 0 ? s.labels.toString() : ''}`] = s.value;
  return out;
}

describe('netstat', () => {
  const netstat =
    'TcpExt: SyncookiesSent ListenDrops TW\nTcpExt: 1 2 3\nIpExt: InNoRoutes InOctets\nIpExt: 0 9617481264\n';
  const snmp =
    'Ip: Forwarding DefaultTTL\nIp: 2 64\nTcp: RtoMin MaxConn ActiveOpens CurrEstab\nTcp: 200 -1 55317 2\nUdp: InDatagrams NoPorts\nUdp: 341 0\n';
  const snmp6 =
    'Ip6InReceives                   \t2\nIp6InOctets                     \t256\nUdpLite6InErrors \t0\nIcmp6InMsgs 2\n';
  it('keeps the default fields, named Protocol_Field, untyped, help "Statistic ProtocolField."', () => {
    const c = new NetstatCollector();
    for (let pass = 0; pass < 2; pass++) {
      const out: MetricFamily[] = [];
      c.collect(netstat, snmp, snmp6, out);
      assert.deepEqual(values(out), {
        node_netstat_TcpExt_SyncookiesSent: 1,
        node_netstat_TcpExt_ListenDrops: 2,
        node_netstat_IpExt_InOctets: 9617481264,
        node_netstat_Ip_Forwarding: 2,
        node_netstat_Tcp_ActiveOpens: 55317,
        node_netstat_Tcp_CurrEstab: 2,
        node_netstat_Udp_InDatagrams: 341,
        node_netstat_Udp_NoPorts: 0,
        node_netstat_Ip6_InOctets: 256,
        node_netstat_UdpLite6_InErrors: 0,
        node_netstat_Icmp6_InMsgs: 2,
      });
      assert.equal(out.find((f) => f.name === 'node_netstat_Tcp_ActiveOpens')?.help, 'Statistic TcpActiveOpens.');
      assert.ok(out.every((f) => f.type === 'unknown'));
    }
  });
  it('notices a header that changed (a new kernel column)', () => {
    const c = new NetstatCollector();
    c.collect(null, 'Tcp: ActiveOpens InSegs\nTcp: 1 2\n', null, []);
    const out: MetricFamily[] = [];
    c.collect(null, 'Tcp: New ActiveOpens InSegs\nTcp: 9 1 2\n', null, out);
    assert.deepEqual(values(out), { node_netstat_Tcp_ActiveOpens: 1, node_netstat_Tcp_InSegs: 2 });
  });
});

describe('sockstat', () => {
  it('names each protocol field, adds mem_bytes, reads sockstat6', () => {
    const out: MetricFamily[] = [];
    collectSockstat(
      'sockets: used 19\nTCP: inuse 1 orphan 0 tw 1 alloc 1 mem 3\nFRAG: inuse 0 memory 0\n',
      'TCP6: inuse 2\n',
      4096,
      out,
    );
    assert.deepEqual(values(out), {
      node_sockstat_sockets_used: 19,
      node_sockstat_TCP_inuse: 1,
      node_sockstat_TCP_orphan: 0,
      node_sockstat_TCP_tw: 1,
      node_sockstat_TCP_alloc: 1,
      node_sockstat_TCP_mem: 3,
      node_sockstat_TCP_mem_bytes: 3 * 4096,
      node_sockstat_FRAG_inuse: 0,
      node_sockstat_FRAG_memory: 0,
      node_sockstat_TCP6_inuse: 2,
    });
    assert.equal(out.find((f) => f.name === 'node_sockstat_TCP_tw')?.help, 'Number of TCP sockets in state tw.');
  });
});

describe('softnet, conntrack, arp, udp queues', () => {
  it('softnet: hex columns by line index', () => {
    const out: MetricFamily[] = [];
    new SoftnetCollector().collect('000b9d94 00000001 0000000a 00000000\n000C2329 00000000 00000000 00000000\n', out);
    assert.deepEqual(values(out), {
      'node_softnet_dropped_total{cpu="0"}': 1,
      'node_softnet_dropped_total{cpu="1"}': 0,
      'node_softnet_processed_total{cpu="0"}': 0xb9d94,
      'node_softnet_processed_total{cpu="1"}': 0xc2329,
      'node_softnet_times_squeezed_total{cpu="0"}': 10,
      'node_softnet_times_squeezed_total{cpu="1"}': 0,
    });
  });
  it('conntrack: per-CPU stats summed by header name; nothing without the module', () => {
    const stat =
      'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n' +
      '00000005  00000000 00000001 00000000 00000002 00000000 00000000 00000000 00000003 00000000 00000000 00000000 00000000  00000000 00000000 00000000 0000000a\n' +
      '00000005  00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000000 00000000  00000000 00000000 00000000 00000000\n';
    const out: MetricFamily[] = [];
    collectConntrack('5\n', '262144\n', stat, out);
    const v = values(out);
    assert.equal(v.node_nf_conntrack_entries, 5);
    assert.equal(v.node_nf_conntrack_entries_limit, 262144);
    assert.equal(v.node_nf_conntrack_stat_found, 2);
    assert.equal(v.node_nf_conntrack_stat_invalid, 2);
    assert.equal(v.node_nf_conntrack_stat_insert, 3);
    assert.equal(v.node_nf_conntrack_stat_drop, 1);
    assert.equal(v.node_nf_conntrack_stat_search_restart, 10);
    const none: MetricFamily[] = [];
    collectConntrack(null, null, null, none);
    assert.deepEqual(none, []);
  });
  it('arp: entries per device', () => {
    const out: MetricFamily[] = [];
    new ArpCollector().collect(
      'IP address       HW type     Flags       HW address            Mask     Device\n' +
        '192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0\n' +
        '192.0.2.2        0x1         0x2         02:fc:00:00:00:06     *        eth0\n' +
        '10.0.0.1         0x1         0x2         02:fc:00:00:00:07     *        docker0\n',
      out,
    );
    assert.deepEqual(values(out), { 'node_arp_entries{device="eth0"}': 2, 'node_arp_entries{device="docker0"}': 1 });
  });
  it('udp queues: tx and rx summed per family, v6 absent when IPv6 is off', () => {
    const udp =
      '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n' +
      '  1: 00000000:0044 00000000:0000 07 00000010:00000100 00:00000000 00000000     0        0 1 2 0 0\n' +
      '  2: 00000000:0045 00000000:0000 07 00000001:00000000 00:00000000 00000000     0        0 1 2 0 0\n';
    const out: MetricFamily[] = [];
    collectUdpQueues(udp, null, out);
    assert.deepEqual(values(out), {
      'node_udp_queues{ip="v4", queue="tx"}': 0x11,
      'node_udp_queues{ip="v4", queue="rx"}': 0x100,
    });
  });
  it('selinux config mode', () => {
    assert.equal(selinuxConfigMode('# x\nSELINUX=enforcing\nSELINUXTYPE=targeted\n'), 1);
    assert.equal(selinuxConfigMode('SELINUX=permissive\n'), 0);
    assert.equal(selinuxConfigMode('SELINUX=disabled\n'), -1);
    assert.ok(Number.isNaN(selinuxConfigMode(null)));
  });
});
