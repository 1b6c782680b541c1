import { blocks, strings } from './elements';
import type { TerraformElement } from './types';

/** One security-group permission, from any of the three ways Terraform writes one. */
export interface SecurityGroupPermission {
  readonly direction: 'ingress' | 'egress';
  /** Where it sits in the element: '' for a rule resource, `ingress[1]` for an inline block. */
  readonly at: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly protocol: string;
  readonly cidrs: readonly string[];
  readonly description: unknown;
}

const ALL_PORTS = { fromPort: 0, toPort: 65535 };

function ports(protocol: string, from: unknown, to: unknown) {
  if (protocol === '-1' || protocol === 'all' || from === undefined || from === null) return ALL_PORTS;
  return { fromPort: Number(from), toPort: Number(to ?? from) };
}

/** The permissions an element defines: inline blocks of `aws_security_group`, or one rule resource. */
export function securityGroupPermissions(element: TerraformElement): SecurityGroupPermission[] {
  if (element.kind !== 'resource') return [];
  const a = element.attributes;
  switch (element.type) {
    case 'aws_security_group':
      return (['ingress', 'egress'] as const).flatMap((direction) =>
        blocks(a[direction]).map((b, i) => {
          const protocol = String(b.protocol ?? '-1');
          return { direction, at: `${direction}[${i}]`, ...ports(protocol, b.from_port, b.to_port), protocol, cidrs: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)], description: b.description };
        }),
      );
    case 'aws_security_group_rule': {
      const protocol = String(a.protocol ?? '-1');
      return [{ direction: a.type === 'egress' ? 'egress' : 'ingress', at: '', ...ports(protocol, a.from_port, a.to_port), protocol, cidrs: [...strings(a.cidr_blocks), ...strings(a.ipv6_cidr_blocks)], description: a.description }];
    }
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const protocol = String(a.ip_protocol ?? '-1');
      return [{ direction: element.type.endsWith('ingress_rule') ? 'ingress' : 'egress', at: '', ...ports(protocol, a.from_port, a.to_port), protocol, cidrs: [...strings(a.cidr_ipv4), ...strings(a.cidr_ipv6)], description: a.description }];
    }
    default:
      return [];
  }
}

/** `0.0.0.0/0` and `::/0` (and any other prefix length 0): the whole internet. */
export function isWorldCidr(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

export function portRange(permission: SecurityGroupPermission): string {
  if (permission.fromPort === 0 && permission.toPort === 65535) return 'all ports';
  return permission.fromPort === permission.toPort ? `port ${permission.fromPort}` : `ports ${permission.fromPort}-${permission.toPort}`;
}

/** Whether a permission opens `port` (any protocol carrying ports, or all protocols). */
export function covers(permission: SecurityGroupPermission, port: number): boolean {
  return permission.fromPort <= port && port <= permission.toPort;
}
