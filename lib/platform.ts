import type { PlatformConfig } from './config/schema';
import { Annotations, Construct } from './framework';
import { compilePlatform } from './model/compile';
import { configureStackState } from './stack-state';
import { InfraStack } from './infra-stack';
import { GRAFANA_HTTPS_PORT } from './host/grafana-front-door';
import { GrafanaStack } from './grafana/grafana-stack';
import { checkPlatform } from './checks/check-platform';
import type { RunbookSource } from './alerting/runbooks';
import type { Instance } from '@cdktf/provider-aws/lib/instance';
import type { Eip } from '@cdktf/provider-aws/lib/eip';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { Folder } from './generated/providers/grafana/folder';
import type { FolderKey } from './grafana/folders';
import { isWorldCidr } from './config/schema';
import { addPolicyCheck, suppressPolicyRule } from './policy/policy-check';

export interface ObservabilityPlatformProps {
  /** The validated platform description (see loadPlatformConfig). */
  readonly config: PlatformConfig;
  /** File the config came from, named in cross-check errors. @default '<inline config>' */
  readonly configFile?: string;
  /**
   * Your runbooks directory, checked at synth like the shipped one (one `<AlertName>.md` per alert with the
   * sections of RUNBOOK_SECTIONS): `add` lays it over the shipped runbooks, `replace` must cover every alert.
   * Point `alerting.runbookBaseUrl` at where you publish it. @default the shipped runbooks/
   */
  readonly runbooks?: RunbookSource;
}

/**
 * The whole platform from one description: `<name>-infra` (AWS) and `<name>-grafana` (Grafana provider).
 * Cross-checks run first, so bad input fails before any construct exists and nothing is written.
 */
export class ObservabilityPlatform extends Construct {
  readonly infra: InfraStack;
  readonly grafana: GrafanaStack;

  constructor(scope: Construct, id: string, props: ObservabilityPlatformProps) {
    super(scope, id);
    const { config } = props;
    const model = compilePlatform(config, { configFile: props.configFile });
    // Every cross-check runs before any resource is created.
    checkPlatform(model, props.runbooks);
    this.infra = new InfraStack(this, `${config.name}-infra`, { model });
    this.grafana = new GrafanaStack(this, `${config.name}-grafana`, {
      model,
      grafanaUrl: this.infra.grafanaUrl,
      prometheusStore: this.infra.scaleOut?.longTermStore,
    });
    for (const stack of [this.infra, this.grafana]) configureStackState(stack, config);
    // What the SLO engine did instead of emitting an unreachable burn factor: shown by `cdktf synth`.
    for (const note of model.burnRateNotes) Annotations.of(this.infra).addWarning(note);
    // Opt-outs the config states explicitly are suppressions with that reason; synth prints each one.
    if (config.host.allowPublicGrafana)
      for (const { rule, cidr } of [...this.infra.network.grafanaIngress, ...(this.infra.grafanaFrontDoor?.ingress ?? [])])
        if (isWorldCidr(cidr))
          suppressPolicyRule(
            rule,
            'LGTM-SG-NO-WORLD-INGRESS',
            `host.allowPublicGrafana is true: Grafana (port ${this.infra.grafanaFrontDoor ? GRAFANA_HTTPS_PORT : config.host.grafanaPort}) is open to ${cidr} by explicit opt-in`,
          );
    if (!config.host.detailedMonitoring)
      suppressPolicyRule(this.infra.host.instance, 'LGTM-EC2-DETAILED-MONITORING', 'host.detailedMonitoring is false in the platform config');
    if (!config.host.disableApiTermination)
      suppressPolicyRule(this.infra.host.instance, 'LGTM-EC2-TERMINATION-PROTECTION', 'host.disableApiTermination is false in the platform config');
    // Every policy rule over both stacks' synthesized JSON, before either is written (lib/policy).
    addPolicyCheck([this.infra, this.grafana], { suppressions: config.policy.suppressions, configFile: model.configFile });
  }

  // What users wire their own resources to, without reaching into the stacks' internals.
  /** The monitoring host's EC2 instance. */
  get instance(): Instance {
    return this.infra.host.instance;
  }
  /** The Elastic IP Grafana and the OTLP receivers are reached at. */
  get elasticIp(): Eip {
    return this.infra.address;
  }
  /** The host's security group (add your own ingress rules to it). */
  get securityGroup(): SecurityGroup {
    return this.infra.network.group;
  }
  /** The host's instance role (attach your own policies to it). */
  get role(): IamRole {
    return this.infra.role.role;
  }
  /** The bucket the host syncs its files from. */
  get configBucket(): S3Bucket {
    return this.infra.configBucket.bucket;
  }
  /** The Grafana folders, by area (place your own dashboards in them, e.g. with GrafanaStack.addDashboard). */
  get grafanaFolders(): Readonly<Record<FolderKey, Folder>> {
    return this.grafana.folders;
  }
}
