import { SsmAssociation } from '@cdktf/provider-aws/lib/ssm-association';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from '../framework';
import type { ArtifactSpec } from '../host/artifacts';
import { modelOf, type PlatformSource } from '../model/platform-source';
import { PORTS } from '../contracts/ports';
import { escapeTerraformTemplate } from '../terraform-text';
import {
  AGENT_ASSOCIATION_SCHEDULE,
  AGENT_COMPLIANCE_SEVERITY,
  AGENT_MAX_CONCURRENCY,
  AGENT_MAX_ERRORS,
  MONITORING_HOST_PARAMETER,
  agentAssociationTargets,
  agentDocumentName,
  renderAgentSsmDocument,
} from './ssm-document';
import { otlpEnvironment } from '../telemetry/otlp-sources';

/**
 * The compiled platform (`model`; every environment with `agent` gets a document and an association), or the
 * validated description (`config`), compiled here.
 */
export type AppServerAgentProps = PlatformSource & {
  /** The monitoring host's private IPv4 address, handed to the install as the document's parameter. */
  readonly monitoringHostPrivateIp: string;
  /** The monitoring host's security group: app servers' OTLP comes in here, its scrapes go out from here. */
  readonly monitoringSecurityGroupId: string;
  /** The pinned table, used only when compiling a `config` (a model carries its own pins). @default ARTIFACTS */
  readonly artifacts?: readonly ArtifactSpec[];
};

/**
 * The telemetry agent on the app servers: per environment with `agent` in config, an SSM Command document that
 * installs Node Exporter and the OpenTelemetry Collector and an association that runs it on every instance
 * carrying the selector's tags, now and every 30 minutes (so a stopped or changed agent is put back). Per app
 * security group named in config, the two rules of the telemetry path: OTLP gRPC from the app servers to the
 * monitoring host, and Node Exporter scrapes from the monitoring host to the app servers. Without an app
 * security group, OTLP arrives through `host.telemetrySourceCidrs` (the host's own rules) and the app servers'
 * group must admit the monitoring host's group on the Node Exporter port: we cannot add rules to a group we
 * are not told about.
 */
export class AppServerAgent extends Construct {
  readonly documents: SsmDocument[] = [];
  readonly associations: SsmAssociation[] = [];
  readonly rules: VpcSecurityGroupIngressRule[] = [];

  constructor(scope: Construct, id: string, props: AppServerAgentProps) {
    super(scope, id);
    const model = modelOf(props, { artifacts: props.artifacts });
    const { config } = model;
    const targets = model.agents;
    for (const target of targets) {
      const name = agentDocumentName(config, target);
      const document = new SsmDocument(this, `document-${target.id}`, {
        name,
        documentType: 'Command',
        documentFormat: 'JSON',
        targetType: '/AWS::EC2::Instance',
        content: escapeTerraformTemplate(renderAgentSsmDocument(model, target)),
      });
      this.documents.push(document);
      this.associations.push(
        new SsmAssociation(this, `association-${target.id}`, {
          name: document.name,
          associationName: name,
          documentVersion: document.latestVersion,
          targets: agentAssociationTargets(target),
          parameters: { [MONITORING_HOST_PARAMETER]: props.monitoringHostPrivateIp },
          scheduleExpression: AGENT_ASSOCIATION_SCHEDULE,
          complianceSeverity: AGENT_COMPLIANCE_SEVERITY,
          maxConcurrency: AGENT_MAX_CONCURRENCY,
          maxErrors: AGENT_MAX_ERRORS,
        }),
      );
    }
    const groups = [...new Set(targets.flatMap((t) => (t.agent.appSecurityGroupId ? [t.agent.appSecurityGroupId] : [])))];
    for (const group of groups) {
      // Each environment's agents send to that environment's receiver only.
      const ports = [...new Set(targets.filter((t) => t.agent.appSecurityGroupId === group).map((t) => otlpEnvironment(config, t.environment.name).httpPort))];
      for (const port of ports)
        this.rules.push(
          new VpcSecurityGroupIngressRule(this, port === PORTS.otlpHttp ? `otlp-from-${group}` : `otlp-${port}-from-${group}`, {
            securityGroupId: props.monitoringSecurityGroupId,
            referencedSecurityGroupId: group,
            ipProtocol: 'tcp',
            fromPort: port,
            toPort: port,
            description: `LGTM agent OTLP HTTP from app servers (${group})`,
          }),
        );
      this.rules.push(
        new VpcSecurityGroupIngressRule(this, `node-exporter-on-${group}`, {
          securityGroupId: group,
          referencedSecurityGroupId: props.monitoringSecurityGroupId,
          ipProtocol: 'tcp',
          fromPort: PORTS.nodeExporter,
          toPort: PORTS.nodeExporter,
          description: `Node Exporter scrapes from the ${config.name} monitoring host`,
        }),
      );
    }
  }
}
