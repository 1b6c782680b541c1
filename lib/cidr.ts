import { isIP } from 'node:net';

/**
 * CIDR blocks judged by the address space they cover, not by their spelling: `0.0.0.0/1` + `128.0.0.0/1` is
 * as open as `0.0.0.0/0`. The config schema and the policy rules share these definitions.
 */

interface Range {
  readonly family: 4 | 6;
  readonly first: bigint;
  /** Exclusive. */
  readonly end: bigint;
}

function addressValue(address: string, family: 4 | 6): bigint {
  if (family === 4) return address.split('.').reduce((acc, octet) => acc * 256n + BigInt(Number(octet)), 0n);
  const [head, tail = ''] = address.includes('::') ? address.split('::') : [address, undefined];
  const groupsOf = (part: string) => (part ? part.split(':') : []);
  let headGroups = groupsOf(head);
  let tailGroups = address.includes('::') ? groupsOf(tail) : [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const embed = (groups: string[]) => {
    const last = groups[groups.length - 1];
    if (last?.includes('.')) {
      const v4 = addressValue(last, 4);
      return [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    }
    return groups;
  };
  if (address.includes('::')) tailGroups = embed(tailGroups);
  else headGroups = embed(headGroups);
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((acc, group) => acc * 65536n + BigInt(parseInt(group, 16)), 0n);
}

/** The range of a CIDR block, or undefined when the text is not one (host bits are ignored). */
export function cidrRange(cidr: string): Range | undefined {
  const [address, prefix, ...rest] = cidr.trim().split('/');
  if (rest.length > 0 || prefix === undefined || !/^[0-9]{1,3}$/.test(prefix)) return undefined;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const width = family === 4 ? 32 : 128;
  const bits = Number(prefix);
  if (bits > width) return undefined;
  const size = 1n << BigInt(width - bits);
  const first = (addressValue(address, family) / size) * size;
  return { family, first, end: first + size };
}

/** Whether the text is a CIDR block: IPv4 or IPv6, prefix length within range, no host bits set. */
export function isCidr(cidr: string): boolean {
  const range = cidrRange(cidr);
  if (!range) return false;
  const [address] = cidr.trim().split('/');
  return range.first === addressValue(address, range.family);
}

const rangesOf = (blocks: readonly string[]) => blocks.map(cidrRange).filter((r): r is Range => r !== undefined);

/**
 * IPv4 space that is not reachable from the internet (RFC 6890 special-purpose blocks that are not globally
 * reachable: "this network", RFC 1918 private, shared address space, loopback, link-local, IETF protocol
 * assignments, documentation, benchmarking, multicast and reserved).
 */
const NON_PUBLIC_V4 = rangesOf([
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
]);
/** The IPv6 space the internet routes: global unicast 2000::/3 (RFC 4291), less documentation 2001:db8::/32. */
const PUBLIC_V6 = rangesOf(['2000::/3']);
const NON_PUBLIC_IN_V6_UNICAST = rangesOf(['2001:db8::/32']);

/** Private networks a VPC or a peered/VPN-attached network uses: RFC 1918, shared address space, IPv6 ULA. */
export const PRIVATE_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];
const PRIVATE = rangesOf(PRIVATE_CIDRS);

/** Sorted, merged ranges of one family. */
function merge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.end) out[out.length - 1] = { ...last, end: r.end > last.end ? r.end : last.end };
    else out.push(r);
  }
  return out;
}

function overlap(a: Range, b: Range): bigint {
  const first = a.first > b.first ? a.first : b.first;
  const end = a.end < b.end ? a.end : b.end;
  return end > first ? end - first : 0n;
}

/** How many internet-routable addresses the union of `blocks` covers, per family. */
export function publicAddressCount(blocks: readonly string[]): { v4: bigint; v6: bigint } {
  const ranges = rangesOf(blocks);
  const v4 = merge(ranges.filter((r) => r.family === 4));
  const v6 = merge(ranges.filter((r) => r.family === 6));
  const sum = (list: Range[], within: readonly Range[], minus: readonly Range[]) =>
    list.reduce((total, r) => total + within.reduce((t, w) => t + overlap(r, w), 0n) - minus.reduce((t, m) => t + overlap(r, m), 0n), 0n);
  const allV4: Range = { family: 4, first: 0n, end: 1n << 32n };
  return { v4: sum(v4, [allV4], NON_PUBLIC_V4), v6: sum(v6, PUBLIC_V6, NON_PUBLIC_IN_V6_UNICAST) };
}

/**
 * The least public space that counts as "the internet": a /8 of IPv4 (16,777,216 addresses, more than any
 * single organization's network) or a /32 of IPv6 (a whole provider's allocation). An office's or a CDN's
 * public range stays below it; `0.0.0.0/0`, `0.0.0.0/1`, `1.0.0.0/8` and `::/1` reach it.
 */
export const WORLD_OPEN_V4 = 1n << 24n;
export const WORLD_OPEN_V6 = 1n << 96n;

/** Whether the union of `blocks` opens to the internet at large (see WORLD_OPEN_V4/WORLD_OPEN_V6). */
export function isWorldOpen(blocks: readonly string[]): boolean {
  const { v4, v6 } = publicAddressCount(blocks);
  return v4 >= WORLD_OPEN_V4 || v6 >= WORLD_OPEN_V6;
}

/** Whether a block lies entirely inside PRIVATE_CIDRS. */
export function isPrivateCidr(block: string): boolean {
  const range = cidrRange(block);
  return range !== undefined && PRIVATE.some((p) => p.family === range.family && p.first <= range.first && range.end <= p.end);
}
