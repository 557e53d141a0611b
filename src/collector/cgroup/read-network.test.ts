import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, readlinkSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseNetDev } from '../proc/net-dev.ts';
import type { InterfaceStats } from '../types.ts';
import { readContainer } from './read.ts';
import { RecordingProblems, realCgroupsUnavailable, TestCgroup, waitForLine } from './testing.ts';

const ipPath = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p));
const unavailable = realCgroupsUnavailable() ?? (ipPath === undefined ? 'iproute2 (`ip`) is not installed' : null);

const datagrams = 200;
const payload = 1000;
/** Ethernet (14) + IPv4 (20) + UDP (8) headers around each payload, as counted by /proc/net/dev on a veth. */
const frameBytes = payload + 14 + 20 + 8;

/** Sends `n` datagrams of `size` bytes to host:port when told to, waits for every echo, says how many came back. */
const sender = `
const dgram = require('node:dgram');
const [host, port, n, size] = process.argv.slice(1);
const s = dgram.createSocket('udp4');
let echoed = 0;
s.on('message', () => { if (++echoed === Number(n)) process.stdout.write('echoed ' + echoed + '\\n'); });
s.bind(0, () => {
  process.stdout.write('ready\\n');
  process.stdin.once('data', async () => {
    const body = Buffer.alloc(Number(size), 7);
    for (let i = 0; i < Number(n); i++) {
      await new Promise((r) => s.send(body, Number(port), host, r));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5));
    }
    process.stdout.write('sent\\n');
  });
});
`;

function ip(...args: string[]): void {
  execFileSync(ipPath as string, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

describe('network of a process in its own network namespace', { skip: unavailable ?? false }, () => {
  const tag = randomBytes(3).toString('hex');
  const ns = `vigil-test-${tag}`;
  const hostIf = `veth${tag}h`;
  const peerIf = `veth${tag}c`;
  const subnet = `10.${200 + ((randomBytes(1)[0] as number) % 50)}.${randomBytes(1)[0] as number}`;
  const hostAddr = `${subnet}.1`;
  let cg: TestCgroup;
  let server: Socket;

  before(async () => {
    ip('netns', 'add', ns);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf);
    ip('link', 'set', peerIf, 'netns', ns);
    // Inside, the container end is eth0 as runtimes name it (veth* names are left out of container stats).
    ip('-n', ns, 'link', 'set', peerIf, 'name', 'eth0');
    // No IPv6 on the link: no router solicitations or MLD reports adding bytes nobody sent.
    ip('netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.eth0.disable_ipv6=1');
    execFileSync('sysctl', ['-qw', `net.ipv6.conf.${hostIf}.disable_ipv6=1`]);
    ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
    ip('-n', ns, 'addr', 'add', `${subnet}.2/30`, 'dev', 'eth0');
    ip('link', 'set', hostIf, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    server = createSocket('udp4');
    server.on('message', (msg, from) => server.send(msg, from.port, from.address));
    await new Promise<void>((r) => server.bind(0, hostAddr, () => r()));
    cg = TestCgroup.create();
  });

  after(async () => {
    await cg?.destroy();
    server?.close();
    try {
      ip('netns', 'del', ns);
    } catch {}
    try {
      ip('link', 'del', hostIf);
    } catch {}
  });

  test('rx/tx bytes and packets of eth0 match what was sent and echoed (±5%); lo and veth left out', async () => {
    const port = server.address().port;
    const child = cg.spawn(
      ipPath as string,
      ['netns', 'exec', ns, process.execPath, '-e', sender, hostAddr, String(port), String(datagrams), String(payload)],
      ['pipe', 'pipe', 'inherit'],
    );
    await waitForLine(child, (l) => l === 'ready');
    const pid = child.pid as number;
    assert.notEqual(readlinkSync(`/proc/${pid}/ns/net`), readlinkSync('/proc/self/ns/net'), 'own namespace');
    const ref = cg.ref();
    const problems = new RecordingProblems();
    const eth0 = (ifs: readonly InterfaceStats[] | undefined): InterfaceStats => {
      const found = ifs?.find((i) => i.name === 'eth0');
      assert.ok(found, 'eth0 reported');
      return found;
    };
    const a = readContainer(ref, pid, Date.now(), problems);
    assert.deepEqual(
      a?.stats.network.map((i) => i.name),
      ['eth0'],
    );
    const done = Promise.all([
      waitForLine(child, (l) => l === `echoed ${datagrams}`),
      waitForLine(child, (l) => l === 'sent'),
    ]);
    child.stdin?.write('go\n');
    await done;
    const b = readContainer(ref, pid, Date.now(), problems);
    const ea = eth0(a?.stats.network);
    const eb = eth0(b?.stats.network);
    const expected = datagrams * frameBytes;
    const tx = eb.txBytes - ea.txBytes;
    const rx = eb.rxBytes - ea.rxBytes;
    console.log(
      `sent ${datagrams} x ${payload} B: expected ${expected} B each way; tx ${tx} B (${eb.txPackets - ea.txPackets} pkts), ` +
        `rx ${rx} B (${eb.rxPackets - ea.rxPackets} pkts); totals since the link came up tx ${eb.txBytes} rx ${eb.rxBytes}`,
    );
    for (const [what, v] of [
      ['tx', tx],
      ['rx', rx],
      ['tx total', eb.txBytes],
      ['rx total', eb.rxBytes],
    ] as const) {
      assert.ok(Math.abs(v - expected) <= 0.05 * expected, `${what} ${v} vs ${expected}`);
    }
    assert.ok(Math.abs(eb.txPackets - ea.txPackets - datagrams) <= 2, 'tx packets (+ARP)');
    assert.ok(Math.abs(eb.rxPackets - ea.rxPackets - datagrams) <= 2, 'rx packets (+ARP)');
    assert.equal(eb.rxErrors + eb.txErrors + eb.rxDropped + eb.txDropped, 0);
    assert.deepEqual(problems.calls, []);
  });

  test('pid 0 gives no network; the root container reads pid 1 (the host namespace)', () => {
    const problems = new RecordingProblems();
    assert.deepEqual(readContainer(cg.ref(), 0, Date.now(), problems)?.stats.network, []);
    const root = readContainer({ id: '/', version: 1, dirs: {} }, 0, Date.now(), problems);
    const host = parseNetDev(execFileSync('cat', ['/proc/1/net/dev'], { encoding: 'latin1' }));
    assert.deepEqual(
      root?.stats.network.map((i) => i.name),
      host.map((i) => i.name),
    );
    assert.ok(!root?.stats.network.some((i) => i.name === hostIf || i.name === 'lo'), 'host veth end and lo left out');
  });
});
