import { cidrRange, isCidr, isPrivateCidr, isWorldOpen, publicAddressCount } from '../../lib/cidr';

describe('GIVEN CIDR blocks judged by the address space they cover', () => {
  it('THEN parsing follows the address, prefix and host bits (IPv4, IPv6 compressed, IPv4-embedded)', () => {
    expect(['10.0.0.0/16', '0.0.0.0/0', '::/0', '2001:db8::/32', 'fd12:3456::/32', '::ffff:10.0.0.0/104', '203.0.113.7/32'].map(isCidr)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1/16', '10.0.0.0/33', '10.0.0.0', '2001:db8::1/32', 'x/8', '10.0.0.0/16/1', '::/129'].map(isCidr)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    const embedded = cidrRange('::ffff:10.0.0.0/104')!;
    expect(embedded.first).toBe((0xffffn << 32n) + (10n << 24n));
    expect(embedded.end - embedded.first).toBe(1n << 24n);
  });

  it('THEN public addresses are counted once over the union, without private, reserved and documentation space', () => {
    // 2^32 less the non-public blocks of RFC 6890: 0/8, 10/8, 127/8 (3 × 2^24), 100.64/10 (2^22), 172.16/12 (2^20),
    // 169.254/16 + 192.168/16 (2 × 2^16), 198.18/15 (2^17), three documentation /24s + 192.0.0/24 (4 × 2^8), 224/4 + 240/4 (2^29).
    const nonPublic = 3n * 2n ** 24n + 2n ** 22n + 2n ** 20n + 2n * 2n ** 16n + 2n ** 17n + 4n * 2n ** 8n + 2n ** 29n;
    expect(publicAddressCount(['0.0.0.0/0']).v4).toBe(2n ** 32n - nonPublic);
    expect(publicAddressCount(['0.0.0.0/1', '128.0.0.0/1']).v4).toBe(2n ** 32n - nonPublic);
    expect(publicAddressCount(['0.0.0.0/0', '0.0.0.0/1']).v4).toBe(2n ** 32n - nonPublic);
    expect(publicAddressCount(['10.0.0.0/8', '192.168.0.0/16', '203.0.113.0/24']).v4).toBe(0n);
    expect(publicAddressCount(['52.94.0.0/16']).v4).toBe(65536n);
    // ::/0 reaches only global unicast 2000::/3, less 2001:db8::/32.
    expect(publicAddressCount(['::/0']).v6).toBe(2n ** 125n - 2n ** 96n);
  });

  it('THEN "the internet" is at least a /8 of public IPv4 or a /32 of public IPv6, alone or together', () => {
    const open = ['0.0.0.0/0', '0.0.0.0/1', '128.0.0.0/1', '1.0.0.0/8', '::/0', '::/1', '2000::/3', '2600::/32'];
    expect(open.filter((c) => !isWorldOpen([c]))).toEqual([]);
    const closed = ['10.0.0.0/8', '198.51.100.0/24', '52.94.0.0/16', '44.0.0.0/9', '0.0.0.0/8', '224.0.0.0/3', 'fd00::/8', '2001:db8::/32', '2600::/33'];
    expect(closed.filter((c) => isWorldOpen([c]))).toEqual([]);
    expect(isWorldOpen(['44.0.0.0/9', '44.128.0.0/9'])).toBe(true);
    expect(isWorldOpen(['44.0.0.0/9', '44.0.0.0/9'])).toBe(false);
  });

  it('THEN private means entirely inside RFC 1918, shared address space or IPv6 ULA', () => {
    expect(['10.0.0.0/16', '172.16.0.0/12', '192.168.1.0/24', '100.64.0.0/10', 'fd12:3456::/32'].filter((c) => !isPrivateCidr(c))).toEqual([]);
    expect(['172.0.0.0/8', '10.0.0.0/7', '203.0.113.0/24', '0.0.0.0/0', '2001:db8::/32', 'fe80::/10', 'garbage'].filter(isPrivateCidr)).toEqual([]);
  });
});
