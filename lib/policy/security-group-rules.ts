import { cidrRange, isWorldOpen } from '../cidr';
import { blocks, isReference, strings } from './elements';
import type { StackDocument, TerraformElement } from './types';

/**
 * One permission that lets traffic in or out, from any of the ways Terraform writes one: inline blocks of
 * `aws_security_group` and `aws_default_security_group`, `aws_security_group_rule`, the
 * `aws_vpc_security_group_*_rule` resources, and allow entries of network ACLs (`aws_network_acl`,
 * `aws_default_network_acl`, `aws_network_acl_rule`).
 */
export interface SecurityGroupPermission {
  readonly direction: 'ingress' | 'egress';
  /** Security groups describe their rules; network ACL entries have no description. */
  readonly via: 'security-group' | 'network-acl';
  /** Where it sits in the element: '' for a rule resource, `ingress[1]` for an inline block. */
  readonly at: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly protocol: string;
  /** CIDR blocks as written (literals, references, expressions). */
  readonly cidrs: readonly string[];
  /** Managed prefix list ids as written. */
  readonly prefixLists: readonly string[];
  readonly description: unknown;
}

const ALL_PORTS = { fromPort: 0, toPort: 65535 };

function ports(protocol: string, from: unknown, to: unknown) {
  if (protocol === '-1' || protocol === 'all' || from === undefined || from === null) return ALL_PORTS;
  return { fromPort: Number(from), toPort: Number(to ?? from) };
}

const GROUP_TYPES = ['aws_security_group', 'aws_default_security_group'];
const ACL_TYPES = ['aws_network_acl', 'aws_default_network_acl'];

/** The permissions an element defines. */
export function securityGroupPermissions(element: TerraformElement): SecurityGroupPermission[] {
  if (element.kind !== 'resource') return [];
  const a = element.attributes;
  const via = 'security-group' as const;
  if (GROUP_TYPES.includes(element.type))
    return (['ingress', 'egress'] as const).flatMap((direction) =>
      blocks(a[direction]).map((b, i) => {
        const protocol = String(b.protocol ?? '-1');
        return {
          direction,
          via,
          at: `${direction}[${i}]`,
          ...ports(protocol, b.from_port, b.to_port),
          protocol,
          cidrs: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)],
          prefixLists: strings(b.prefix_list_ids),
          description: b.description,
        };
      }),
    );
  if (ACL_TYPES.includes(element.type))
    return (['ingress', 'egress'] as const).flatMap((direction) =>
      blocks(a[direction])
        .map((b, i) => ({ b, i }))
        .filter(({ b }) => String(b.action ?? '').toLowerCase() === 'allow')
        .map(({ b, i }) =>
          aclPermission(direction, `${direction}[${i}]`, b.protocol, b.from_port, b.to_port, [...strings(b.cidr_block), ...strings(b.ipv6_cidr_block)]),
        ),
    );
  switch (element.type) {
    case 'aws_security_group_rule': {
      const protocol = String(a.protocol ?? '-1');
      return [
        {
          direction: a.type === 'egress' ? 'egress' : 'ingress',
          via,
          at: '',
          ...ports(protocol, a.from_port, a.to_port),
          protocol,
          cidrs: [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)],
          prefixLists: strings(a.prefix_list_ids),
          description: a.description,
        },
      ];
    }
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const protocol = String(a.ip_protocol ?? '-1');
      return [
        {
          direction: element.type.endsWith('ingress_rule') ? 'ingress' : 'egress',
          via,
          at: '',
          ...ports(protocol, a.from_port, a.to_port),
          protocol,
          cidrs: [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)],
          prefixLists: strings(a.prefix_list_id),
          description: a.description,
        },
      ];
    }
    case 'aws_network_acl_rule':
      if (String(a.rule_action ?? '').toLowerCase() !== 'allow') return [];
      return [
        aclPermission(a.egress === true || a.egress === 'true' ? 'egress' : 'ingress', '', a.protocol, a.from_port, a.to_port, [
          ...strings(a.cidr_block),
          ...strings(a.ipv6_cidr_block),
        ]),
      ];
    default:
      return [];
  }
}

function aclPermission(direction: 'ingress' | 'egress', at: string, protocol: unknown, from: unknown, to: unknown, cidrs: string[]): SecurityGroupPermission {
  const p = String(protocol ?? '-1');
  return { direction, via: 'network-acl', at, ...ports(p, from, to), protocol: p, cidrs, prefixLists: [], description: undefined };
}

/** What a source resolves to: its CIDR blocks, or undefined when it cannot be known at synth. */
interface Resolved {
  /** How the source is written, for messages. */
  readonly source: string;
  readonly cidrs?: readonly string[];
  /** Known to be smaller than the internet without knowing its blocks (a VPC's or subnet's own range). */
  readonly bounded?: boolean;
  /** Why it resolved as it did, for messages: `default of var.allowed`. */
  readonly note?: string;
}

/**
 * A VPC's or subnet's own range: AWS allows IPv4 VPC blocks of /16 to /28 and IPv6 blocks of /56 (subnets /64),
 * all far below WORLD_OPEN_V4/V6, so such a reference never opens to the internet.
 */
const NETWORK_RANGE_REFERENCE = /^\$\{(data\.)?aws_(default_)?(vpc|subnet)\.[A-Za-z0-9_-]+\.(cidr_block|ipv6_cidr_block)\}$/;

function resolveCidr(text: string, stack: StackDocument): Resolved {
  if (!isReference(text)) return { source: text, cidrs: [text] };
  if (NETWORK_RANGE_REFERENCE.test(text)) return { source: text, bounded: true };
  const variable = /^\$\{var\.([A-Za-z0-9_-]+)\}$/.exec(text);
  if (variable) {
    const declared = stack.elements.find((e) => e.kind === 'variable' && e.name === variable[1]);
    const fallback = declared?.attributes.default;
    if (fallback === undefined || fallback === null) return { source: text, note: 'a variable without a default, unknown until apply' };
    return { source: text, cidrs: strings(fallback), note: `default ${JSON.stringify(fallback)}` };
  }
  return { source: text, note: 'an expression unknown until apply' };
}

function resolvePrefixList(id: string, stack: StackDocument): Resolved {
  const reference = /^\$\{aws_ec2_managed_prefix_list\.([A-Za-z0-9_-]+)\.id\}$/.exec(id);
  const list = reference ? stack.elements.find((e) => e.kind === 'resource' && e.type === 'aws_ec2_managed_prefix_list' && e.name === reference[1]) : undefined;
  const source = `prefix list ${id}`;
  if (!list) return { source, note: 'entries unknown at synth' };
  const entries = [
    ...blocks(list.attributes.entry).map((e) => String(e.cidr)),
    ...stack.elements
      .filter((e) => e.kind === 'resource' && e.type === 'aws_ec2_managed_prefix_list_entry' && e.attributes.prefix_list_id === id)
      .map((e) => String(e.attributes.cidr)),
  ];
  if (entries.some((cidr) => isReference(cidr))) return { source, note: 'entries unknown at synth' };
  return { source, cidrs: entries, note: `entries ${entries.join(', ')}` };
}

/**
 * The sources of a permission that open it to the internet, as they read in messages: every source whose
 * blocks cover at least WORLD_OPEN_V4/V6 of public address space (`0.0.0.0/1`, `1.0.0.0/8`), the whole set
 * when only together they do (`0.0.0.0/2, 64.0.0.0/2, ...`), and every source that cannot be known at synth
 * (a variable without a default, an expression, a prefix list from elsewhere), which counts as open.
 */
export function worldOpenSources(permission: SecurityGroupPermission, stack: StackDocument): string[] {
  const resolved = [...permission.cidrs.map((c) => resolveCidr(c, stack)), ...permission.prefixLists.map((p) => resolvePrefixList(p, stack))];
  const label = (r: Resolved) => (r.note ? `${r.source} (${r.note})` : r.source);
  const open = resolved.filter((r) => (r.cidrs ? isWorldOpen(r.cidrs) || r.cidrs.some((c) => !cidrRange(c)) : !r.bounded));
  if (open.length > 0) return open.map(label);
  const known = resolved.filter((r) => r.cidrs);
  return isWorldOpen(known.flatMap((r) => r.cidrs ?? [])) ? [known.map(label).join(', ')] : [];
}

export function portRange(permission: SecurityGroupPermission): string {
  if (permission.fromPort === 0 && permission.toPort === 65535) return 'all ports';
  return permission.fromPort === permission.toPort ? `port ${permission.fromPort}` : `ports ${permission.fromPort}-${permission.toPort}`;
}

/** Whether a permission opens `port` (any protocol carrying ports, or all protocols). */
export function covers(permission: SecurityGroupPermission, port: number): boolean {
  return permission.fromPort <= port && port <= permission.toPort;
}
