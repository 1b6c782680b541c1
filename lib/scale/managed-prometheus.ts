import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { Construct } from '../framework';
import { AMP_REMOTE_WRITE_PATH } from '../contracts/scale-endpoints';

export interface ManagedPrometheusProps {
  /** Workspace alias, e.g. `anvila-metrics`. */
  readonly alias: string;
}

/**
 * An Amazon Managed Service for Prometheus workspace: the long-term, horizontally scaled metrics store that
 * Prometheus remote-writes to and Grafana reads from, both signing with SigV4 as the instance role.
 */
export class ManagedPrometheus extends Construct {
  readonly workspace: PrometheusWorkspace;

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    // The long-term metrics live here: terraform refuses to destroy the workspace.
    this.workspace = new PrometheusWorkspace(this, 'workspace', { alias: props.alias, lifecycle: { preventDestroy: true } });
  }

  /** The workspace's Prometheus-compatible base URL (ends in `/`): what Grafana queries. */
  get queryUrl(): string {
    return this.workspace.prometheusEndpoint;
  }

  /** Where Prometheus remote-writes. */
  get remoteWriteUrl(): string {
    return `${this.workspace.prometheusEndpoint}${AMP_REMOTE_WRITE_PATH}`;
  }

  get arn(): string {
    return this.workspace.arn;
  }
}
