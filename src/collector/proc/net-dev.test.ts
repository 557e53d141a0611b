import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSkippedInterface, parseNetDev } from './net-dev.ts';

const netDev = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1234      10    0    0    0     0          0         0     1234      10    0    0    0     0       0          0
  eth0: 7034561    5210    1    2    0     0          0         0  6951234    5100    3    4    0     0       0          0
vethab12: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
docker0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
nerdctl0: 1 1 0 0 0 0 0 0 1 1 0 0 0 0 0 0
  eth1:1 2 3 4 0 0 0 0 5 6 7 8 0 0 0 0
  bad: 1 2 3
`;

test('parseNetDev: columns 1-4 and 9-12, skipped prefixes, a name glued to its first number, malformed lines', () => {
  assert.deepEqual(parseNetDev(netDev), [
    {
      name: 'eth0',
      rxBytes: 7034561,
      rxPackets: 5210,
      rxErrors: 1,
      rxDropped: 2,
      txBytes: 6951234,
      txPackets: 5100,
      txErrors: 3,
      txDropped: 4,
    },
    {
      name: 'eth1',
      rxBytes: 1,
      rxPackets: 2,
      rxErrors: 3,
      rxDropped: 4,
      txBytes: 5,
      txPackets: 6,
      txErrors: 7,
      txDropped: 8,
    },
  ]);
});

test('isSkippedInterface', () => {
  const cases: [string, boolean][] = [
    ['lo', true],
    ['veth1234', true],
    ['docker0', true],
    ['nerdctl0', true],
    ['eth0', false],
    ['ens3', false],
    ['br-1234', false],
  ];
  for (const [name, want] of cases) assert.equal(isSkippedInterface(name), want, name);
});
