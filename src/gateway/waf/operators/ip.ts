import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { OperatorFactory } from './types.ts';

/** Results kept per operator, all dropped when full. */
const RECENT_MAX = 1024;

/** `@ipMatch`: comma-separated addresses and CIDR ranges, IPv4 and IPv6. */
export const ipMatch: OperatorFactory = (param) => {
  const list = new BlockList();
  for (const raw of param.split(/[,\s]+/).filter((p) => p !== '')) {
    const [addr, bits] = raw.split('/') as [string, string | undefined];
    const type = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : undefined;
    if (type === undefined) return { error: `invalid address ${raw}` };
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number.parseInt(bits, 10), type);
  }
  // Results by input: addresses repeat across requests, and a check costs a socket address object.
  const recent = new Map<string, boolean>();
  return (input, ctx) => {
    let hit = recent.get(input);
    if (hit === undefined) {
      const type = isIPv4(input) ? 'ipv4' : isIPv6(input) ? 'ipv6' : undefined;
      hit = type !== undefined && list.check(input, type);
      if (recent.size >= RECENT_MAX) recent.clear();
      if (input.length <= 64) recent.set(input, hit);
    }
    if (!hit) return false;
    ctx.matched = input;
    return true;
  };
};
