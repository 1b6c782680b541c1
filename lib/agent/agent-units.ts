import { executablePath, type ArtifactSpec, ARTIFACTS } from '../host/artifacts';
import { PORTS } from '../contracts/ports';
import { renderHardenedUnit, type HardenedUnitSpec } from '../host/systemd-units';
import { AGENT_OPT_ROOT, AGENT_PATHS, AGENT_UNITS, IMDS_ADDRESS } from './paths';
import type { AgentTarget } from './targets';
import { otlpTokenCredential } from '../telemetry/otlp-sources';

/** One program of the agent: its hardened unit and the pinned artifact it runs. */
export interface AgentServiceSpec extends HardenedUnitSpec {
  readonly artifact: 'node_exporter' | 'otelcol-contrib';
  /** systemd credentials it loads. @default none */
  readonly credentials?: readonly { readonly name: string; readonly source: string }[];
}

/** The agent's artifacts ship the same executable paths on both architectures (a test holds this). */
const bin = (name: AgentServiceSpec['artifact'], exe: string, table: readonly ArtifactSpec[]) => executablePath(name, exe, 'x86_64', table, AGENT_OPT_ROOT);

/** Node Exporter's flags on an app server; it listens on every address, and the security group picks who asks. */
export function agentNodeExporterArgs(): string[] {
  return [`--web.listen-address=0.0.0.0:${PORTS.nodeExporter}`];
}

/**
 * The agent's two services. Both run under the host's hardening (lib/host/systemd-units.ts) and may talk only
 * to loopback, plus, through a drop-in the install script writes, the monitoring host (and the collector the
 * instance metadata service, which resourcedetection asks).
 */
export function agentServiceSpecs(target: AgentTarget, table: readonly ArtifactSpec[] = ARTIFACTS): AgentServiceSpec[] {
  const { journald, files } = target.agent.logs;
  const otelcolExtra: Record<string, string[]> = {
    EnvironmentFile: [AGENT_PATHS.environmentFile],
    IPAddressDeny: ['any'],
    IPAddressAllow: ['localhost', IMDS_ADDRESS],
  };
  // journalctl shows every unit's journal to members of systemd-journal (a group on AL2023 and Ubuntu alike).
  if (journald.length > 0) otelcolExtra.SupplementaryGroups = ['systemd-journal'];
  // The app's log files belong to the app's user; reading them (and nothing else) needs this one capability.
  if (files.length > 0) {
    otelcolExtra.AmbientCapabilities = ['CAP_DAC_READ_SEARCH'];
    otelcolExtra.CapabilityBoundingSet = ['CAP_DAC_READ_SEARCH'];
  }
  return [
    {
      unit: AGENT_UNITS.nodeExporter.unit,
      user: AGENT_UNITS.nodeExporter.user,
      description: 'Prometheus Node Exporter (LGTM agent: app server host metrics)',
      artifact: 'node_exporter',
      exec: [bin('node_exporter', 'node_exporter', table), ...agentNodeExporterArgs()],
      extraAddressFamilies: ['AF_NETLINK'],
      reportsOnHost: true,
      extra: { IPAddressDeny: ['any'], IPAddressAllow: ['localhost'] },
    },
    {
      unit: AGENT_UNITS.otelcol.unit,
      user: AGENT_UNITS.otelcol.user,
      description: `OpenTelemetry Collector (LGTM agent of ${target.service.name}/${target.environment.name}): logs, traces, metrics to the monitoring host`,
      artifact: 'otelcol-contrib',
      exec: [bin('otelcol-contrib', 'otelcol-contrib', table), `--config=${AGENT_PATHS.otelcolConfig}`],
      dataDir: AGENT_PATHS.otelcolStorage,
      instanceMetadata: true,
      credentials: [{ name: otlpTokenCredential(target.environment.name), source: AGENT_PATHS.otlpToken }],
      extra: otelcolExtra,
    },
  ];
}

/** A unit file of the agent. */
export function renderAgentUnit(spec: AgentServiceSpec): string {
  return renderHardenedUnit(spec, {
    header: "# Rendered by the LGTM platform; do not edit on the app server (the agent's SSM association rewrites it).",
    after: ['network-online.target'],
    credentials: spec.credentials,
  });
}

/** The drop-in that lets a unit reach the monitoring host (its address comes from the association). */
export function monitoringHostDropIn(address: string): string {
  return `# Written by lgtm-agent-install: the monitoring host may be reached.\n[Service]\nIPAddressAllow=${address}\n`;
}
