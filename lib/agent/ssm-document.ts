import type { PlatformConfig } from '../config/schema';
import type { PlatformModel } from '../model/compile';
import { renderAgentInstallScript } from './install-script';
import { AGENT_PATHS } from './paths';
import { selectorTags, type AgentTarget } from './targets';

/** The SSM document parameter carrying the monitoring host's private IPv4 address. */
export const MONITORING_HOST_PARAMETER = 'monitoringHost';
/** What that parameter accepts: a dotted IPv4 address and nothing a shell could act on. */
export const IPV4_PATTERN = '^([0-9]{1,3}\\.){3}[0-9]{1,3}$';

/** How often the association runs again: the install re-checks versions, files and units, and starts what stopped. */
export const AGENT_ASSOCIATION_SCHEDULE = 'rate(30 minutes)';
/** A failed run marks the instance non-compliant at this severity in SSM compliance. */
export const AGENT_COMPLIANCE_SEVERITY = 'HIGH';
/** At most this share of the matching instances runs the install at once, and the rollout stops at this many errors. */
export const AGENT_MAX_CONCURRENCY = '25%';
export const AGENT_MAX_ERRORS = '25%';
/** SSM Command documents hold at most 64 KB. */
export const SSM_COMMAND_DOCUMENT_LIMIT = 64 * 1024;

/**
 * The SSM Command document (schema 2.2, `aws:runShellScript`, Linux only) that installs the agent. Its one
 * step writes the rendered `lgtm-agent-install` (base64, so no shell or SSM `{{ }}` syntax inside it is
 * interpreted on the way) and runs it with the monitoring host's address. The commands themselves are POSIX
 * sh, since SSM runs them with `sh` (dash on Ubuntu).
 */
export function renderAgentSsmDocument(model: PlatformModel, target: AgentTarget): string {
  const { config } = model;
  const script = Buffer.from(renderAgentInstallScript(model, target), 'utf8').toString('base64');
  const path = AGENT_PATHS.installScript;
  const document = {
    schemaVersion: '2.2',
    description: `LGTM telemetry agent of ${target.service.name}/${target.environment.name}: Node Exporter and the OpenTelemetry Collector, pinned and checksum-verified, sending to the ${config.name} monitoring host.`,
    parameters: {
      [MONITORING_HOST_PARAMETER]: {
        type: 'String',
        description: 'Private IPv4 address of the monitoring host (OTLP gRPC receiver).',
        allowedPattern: IPV4_PATTERN,
      },
    },
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'installLgtmAgent',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: {
          timeoutSeconds: '900',
          runCommand: [
            'set -eu',
            'umask 022',
            `mkdir -p ${path.slice(0, path.lastIndexOf('/'))}`,
            `printf '%s' '${script}' | base64 -d > ${path}.new`,
            `chmod 0755 ${path}.new`,
            `mv -f ${path}.new ${path}`,
            `exec ${path} --monitoring-host '{{ ${MONITORING_HOST_PARAMETER} }}'`,
          ],
        },
      },
    ],
  };
  return JSON.stringify(document, null, 2);
}

/** The association's targets: every selector tag must match (SSM ANDs target entries). */
export function agentAssociationTargets(target: AgentTarget): { key: string; values: string[] }[] {
  return selectorTags(target.agent).map(([key, value]) => ({ key: `tag:${key}`, values: [value] }));
}

/** Name of the SSM document and association of an environment's agent. */
export function agentDocumentName(config: PlatformConfig, target: AgentTarget): string {
  return `${config.name}-lgtm-agent-${target.id}`;
}
