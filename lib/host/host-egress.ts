import { serviceTargets } from '../model/targets';
import type { PlatformConfig } from '../config/schema';
import { agentTargets } from '../agent/targets';
import { PORTS } from '../contracts/ports';

/** One outbound rule of the monitoring host: a TCP or UDP port to a destination range. */
export interface EgressRule {
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  /** IPv4 or IPv6 CIDR. */
  readonly cidr: string;
  readonly description: string;
}

const ANYWHERE = ['0.0.0.0/0', '::/0'] as const;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** `host:port` → where it goes: the address itself when it is an IPv4 literal, else anywhere. */
function destinations(host: string): readonly string[] {
  return IPV4.test(host) ? [`${host}/32`] : ANYWHERE;
}

function urlPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80 };
}

/**
 * What the monitoring host may open, and nothing else: HTTPS anywhere (AWS APIs, releases, Slack, GitHub,
 * webhooks), DNS, and the endpoints the config names: each probe URL's port, each app metrics target (at its
 * address when it is an IP), the SMTP smarthost, the remote-write store, the DORA API, the artifact mirror, and
 * the app servers' Node Exporter when agents are on. The instance metadata service, the Amazon DNS resolver and
 * the time service are link-local and not subject to security groups.
 */
export function hostEgressRules(config: PlatformConfig): EgressRule[] {
  const rules: EgressRule[] = [];
  const add = (protocol: EgressRule['protocol'], port: number, cidrs: readonly string[], description: string) => {
    for (const cidr of cidrs)
      if (!rules.some((r) => r.protocol === protocol && r.port === port && r.cidr === cidr)) rules.push({ protocol, port, cidr, description });
  };
  add('tcp', 443, ANYWHERE, 'HTTPS: AWS APIs, releases, Slack, GitHub, webhooks');
  add('udp', 53, ANYWHERE, 'DNS');
  add('tcp', 53, ANYWHERE, 'DNS over TCP (large answers)');
  for (const target of serviceTargets(config)) {
    add('tcp', urlPort(target.probeUrl).port, ANYWHERE, `probe of ${target.service}/${target.environment}`);
    if (target.metrics) {
      const [host, port] = target.metrics.address.split(':');
      add('tcp', Number(port), destinations(host), `metrics of ${target.service}/${target.environment}`);
    }
  }
  if (config.alerting.smtp) {
    const [host, port] = config.alerting.smtp.smarthost.split(':');
    add('tcp', Number(port), destinations(host), 'SMTP smarthost');
  }
  const store = config.scale === 'distributed' ? config.distributed?.metricsStore : undefined;
  if (store && 'remoteWriteUrl' in store) add('tcp', urlPort(store.remoteWriteUrl).port, ANYWHERE, 'remote write to the long-term metrics store');
  if (config.dora) add('tcp', urlPort(config.dora.apiUrl).port, ANYWHERE, 'DORA: the GitHub API');
  const mirror = config.host.artifactMirror?.httpsBaseUrl;
  if (mirror) add('tcp', urlPort(mirror).port, ANYWHERE, 'artifact mirror');
  if (agentTargets(config).length > 0) add('tcp', PORTS.nodeExporter, ANYWHERE, 'Node Exporter of the app servers (EC2 discovery)');
  return rules;
}
