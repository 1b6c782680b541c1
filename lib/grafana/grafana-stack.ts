import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Dashboard as GrafanaDashboard } from '../generated/providers/grafana/dashboard';
import { DataSource } from '../generated/providers/grafana/data-source';
import { Folder } from '../generated/providers/grafana/folder';
import { GrafanaProvider } from '../generated/providers/grafana/provider';
import { grafanaAdminPasswordParameter } from '../host/secrets';
import { escapeTerraformTemplate } from '../terraform-text';
import { Construct, TerraformStack } from '../framework';
import { sampleVariableValues, validateDashboards, validateDataSourceQueries } from './dashboard-checks';
import { DASHBOARDS, type DashboardKey } from '../contracts/dashboards';
import type { Dashboard } from '../dashboards';
import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import { declaredAppMetrics } from '../slo/conventions';
import type { DataSourceKey } from '../contracts/data-sources';
import { grafanaDataSources, type LongTermMetricsStore } from './data-sources';
import { FOLDERS, type FolderKey } from './folders';
import { modelOf, type PlatformSource } from '../model/platform-source';

/** The compiled platform (`model`), or the validated description (`config`), compiled here. */
export type GrafanaStackProps = PlatformSource & {
  /**
   * Base URL of Grafana, e.g. `http://203.0.113.10:3000`: a cross-stack reference to the infra stack's output at
   * synth, a plain string in tests.
   */
  readonly grafanaUrl: string;
  /** Long-term metrics store the Prometheus data source reads (`scale: distributed`). @default the host's Prometheus */
  readonly prometheusStore?: LongTermMetricsStore;
};

/**
 * Where the Grafana provider connects, given Grafana's URL: the URL itself when it is HTTPS or already on
 * loopback; otherwise (plain HTTP across the network, or a URL whose scheme is not known at synth)
 * `http://127.0.0.1:<port>`, reached through a Session Manager port forward to the host, so the admin
 * credentials never cross a network in clear text.
 */
export function grafanaProviderUrl(grafanaUrl: string, port: number): string {
  if (grafanaUrl.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(grafanaUrl)) return grafanaUrl;
  return `http://127.0.0.1:${port}`;
}

/**
 * The `<name>-grafana` stack: everything a user sees in Grafana, through the Grafana provider. Its credentials
 * are read from SSM with the deployer's AWS credentials as an ephemeral resource (Terraform 1.10 or later), so
 * they are in neither config, plan nor state: `grafana.authParameter` when set, else `admin` with the host's
 * admin password parameter. Every dashboard query is checked before any resource exists.
 */
export class GrafanaStack extends TerraformStack {
  readonly dataSources: Record<DataSourceKey, DataSource>;
  readonly folders: Record<FolderKey, Folder>;
  /** The platform's dashboards this description renders (the DORA one only with `dora`). */
  readonly dashboards: Partial<Record<DashboardKey, GrafanaDashboard>>;

  constructor(scope: Construct, id: string, props: GrafanaStackProps) {
    super(scope, id);
    const model = modelOf(props);
    const { config } = model;
    const built = Object.fromEntries(model.dashboards.map((d) => [d.key, d.json])) as Record<DashboardKey, Dashboard>;
    validateDashboards(built, sampleVariableValues(config), declaredAppMetrics(config.services));
    const dataSources = grafanaDataSources(props.prometheusStore);
    validateDataSourceQueries(dataSources);

    new AwsProvider(this, 'aws', { region: config.region });
    const partition = new DataAwsPartition(this, 'partition');
    const account = new DataAwsCallerIdentity(this, 'account');
    const secret = (id: string, parameter: string) => {
      this.addOverride(`ephemeral.aws_ssm_parameter.${id}`, {
        arn: `arn:${partition.partition}:ssm:${config.region}:${account.accountId}:parameter${parameter}`,
        with_decryption: true,
      });
      return `\${ephemeral.aws_ssm_parameter.${id}.value}`;
    };
    const auth = config.grafana.authParameter
      ? secret('grafana_auth', config.grafana.authParameter)
      : `admin:${secret('grafana_admin_password', grafanaAdminPasswordParameter(config))}`;
    this.addOverride('terraform.required_version', '>= 1.10');
    new GrafanaProvider(this, 'grafana', { url: grafanaProviderUrl(props.grafanaUrl, config.host.grafanaPort), auth });

    this.dataSources = Object.fromEntries(
      dataSources.map((spec) => [
        spec.key,
        new DataSource(this, `datasource-${spec.key}`, {
          name: spec.name,
          type: spec.type,
          uid: spec.uid,
          url: spec.url,
          accessMode: 'proxy',
          isDefault: spec.isDefault,
          jsonDataEncoded: escapeTerraformTemplate(JSON.stringify(spec.jsonData)),
        }),
      ]),
    ) as Record<DataSourceKey, DataSource>;

    this.folders = Object.fromEntries(
      (Object.keys(FOLDERS) as FolderKey[]).map((key) => [key, new Folder(this, `folder-${key}`, { uid: FOLDERS[key].uid, title: FOLDERS[key].title })]),
    ) as Record<FolderKey, Folder>;

    this.dashboards = Object.fromEntries(model.dashboards.map((d) => [d.key, this.placeDashboard(`dashboard-${d.key}`, d.folder, d.json)]));
  }

  /**
   * Adds a dashboard of your own to one of the platform's folders: Grafana dashboard JSON (an object with a
   * `uid` and a `title`), or a foundation-SDK builder (anything with `build()`). Its uid may not be one of the
   * platform's dashboards' or of one added before; a bad one throws one PlatformConfigError naming the dashboard and every problem.
   */
  addDashboard(id: string, folder: FolderKey, dashboard: object | { build(): object }): GrafanaDashboard {
    const model = ('build' in dashboard && typeof dashboard.build === 'function' ? dashboard.build() : dashboard) as { uid?: unknown; title?: unknown };
    const where = `dashboard ${id}`;
    const problems: PlatformConfigError[] = [];
    if (!(folder in FOLDERS))
      problems.push(
        new PlatformConfigError(where, 'folder', JSON.stringify(folder), `expected one of the platform's folders: ${Object.keys(FOLDERS).join(', ')}`),
      );
    const uid = typeof model.uid === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(model.uid) ? model.uid : undefined;
    const taken = [...Object.values(DASHBOARDS).map((d) => d.uid as string), ...this.addedUids];
    if (uid === undefined)
      problems.push(
        new PlatformConfigError(where, 'uid', JSON.stringify(model.uid), 'expected a uid of 1-40 letters, digits, _ and -, so links to it stay stable'),
      );
    else if (taken.includes(uid))
      problems.push(new PlatformConfigError(where, 'uid', JSON.stringify(uid), `expected a uid not already used: ${taken.join(', ')}`));
    if (typeof model.title !== 'string' || model.title.trim() === '')
      problems.push(new PlatformConfigError(where, 'title', JSON.stringify(model.title), 'expected a title'));
    throwConfigErrors(problems);
    this.addedUids.push(uid!);
    return this.placeDashboard(id, folder, model);
  }

  private readonly addedUids: string[] = [];

  private placeDashboard(id: string, folder: FolderKey, model: unknown): GrafanaDashboard {
    return new GrafanaDashboard(this, id, {
      configJson: escapeTerraformTemplate(JSON.stringify(model)),
      folder: this.folders[folder].uid,
      overwrite: true,
      message: 'Provisioned by the lgtm-platform CDKTF app',
    });
  }
}
