import * as yaml from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostContext } from '../host/host-file';
import { PORTS } from '../contracts/ports';
import { BLACKBOX_HTTP_MODULE } from './blackbox';
import { SCRAPE_JOBS, appNodesJobName } from '../contracts/scrape-jobs';
import { agentTargets, selectorTags } from '../agent/targets';
import { remoteWriteConfig } from './remote-write';

/** Where Prometheus reads its rule files on the host (tests rewrite this glob to a temporary directory). */
export const PROMETHEUS_RULES_GLOB = '/etc/prometheus/rules/*.yml';
export const PROMETHEUS_CONFIG_PATH = '/etc/prometheus/prometheus.yml';

/** Global scrape and evaluation settings. */
export const SCRAPE_INTERVAL = '15s';
export const SCRAPE_TIMEOUT = '10s';
export const EVALUATION_INTERVAL = '30s';

/** The `instance` label of every series scraped from the monitoring host itself (host alerts carry it). */
export function hostInstanceName(config: PlatformConfig): string {
  return `${config.name}-monitoring`;
}

/**
 * Per-job cardinality guards: a target exposing more samples than `sample_limit`, or a series with more labels
 * than `label_limit`, fails its scrape (and `up` goes to 0) instead of flooding the TSDB.
 */
export const SCRAPE_LIMITS: Record<string, number> = {
  [SCRAPE_JOBS.prometheus]: 20000,
  [SCRAPE_JOBS.node]: 10000,
  [SCRAPE_JOBS.probe]: 500,
  [SCRAPE_JOBS.blackbox]: 2000,
  [SCRAPE_JOBS.app]: 20000,
  [SCRAPE_JOBS.dora]: 10000,
  [SCRAPE_JOBS.alertmanager]: 5000,
  [SCRAPE_JOBS.loki]: 20000,
  [SCRAPE_JOBS.tempo]: 20000,
  [SCRAPE_JOBS.grafana]: 20000,
  [SCRAPE_JOBS.otelcol]: 5000,
  [SCRAPE_JOBS.appNodes]: 10000,
};
export const LABEL_LIMIT = 30;
export const LABEL_NAME_LENGTH_LIMIT = 128;
export const LABEL_VALUE_LENGTH_LIMIT = 2048;

/** Route-like labels whose unknown values collapse into one, and the value they collapse into. */
export const ROUTE_LABELS = ['route', 'handler', 'path', 'endpoint'] as const;
export const UNMATCHED_ROUTE = 'unmatched';
/**
 * Values of a route label that are not a route template: the "no route matched" markers of common
 * instrumentation libraries, and raw paths carrying IDs (numbers of 2+ digits, hex/UUID segments, query strings).
 */
export const UNKNOWN_ROUTE_REGEX =
  '(?:none|None|unknown|not[_-]?found|NotFound|404|.*/[0-9]{2,}(?:/.*)?|.*/[0-9a-fA-F-]{16,}(?:/.*)?|.*\\?.*)';

type Job = Record<string, unknown>;

/**
 * How Prometheus parses a scrape whose Content-Type is missing, empty or unknown (many hand-written /metrics
 * handlers send none): as the classic text format. Without it Prometheus 3 fails the scrape and the target is down.
 */
export const FALLBACK_SCRAPE_PROTOCOL = 'PrometheusText0.0.4';

/** What every job shares: its limits and the fallback parser. */
function jobDefaults(name: string): Job {
  return {
    fallback_scrape_protocol: FALLBACK_SCRAPE_PROTOCOL,
    sample_limit: SCRAPE_LIMITS[name],
    label_limit: LABEL_LIMIT,
    label_name_length_limit: LABEL_NAME_LENGTH_LIMIT,
    label_value_length_limit: LABEL_VALUE_LENGTH_LIMIT,
  };
}

/** A job scraping one program on the host over loopback; `instance` becomes the host's name. */
function localJob(config: PlatformConfig, name: string, port: number, metricsPath = '/metrics'): Job {
  return {
    job_name: name,
    ...(metricsPath !== '/metrics' ? { metrics_path: metricsPath } : {}),
    ...jobDefaults(name),
    static_configs: [{ targets: [`127.0.0.1:${port}`] }],
    relabel_configs: [{ target_label: 'instance', replacement: hostInstanceName(config) }],
  };
}

/**
 * Grafana's own metrics. With `host.grafanaTls` it only speaks HTTPS: the certificate is checked against its
 * domain, or (issued for the bare address) accepted on loopback, where there is nobody in between to check for.
 */
function grafanaJob(config: PlatformConfig): Job {
  const job = localJob(config, SCRAPE_JOBS.grafana, config.host.grafanaPort);
  const tls = config.host.grafanaTls;
  if (!tls) return job;
  return { ...job, scheme: 'https', tls_config: tls.domain ? { server_name: tls.domain } : { insecure_skip_verify: true } };
}

function probeJob(config: PlatformConfig): Job {
  return {
    job_name: SCRAPE_JOBS.probe,
    metrics_path: '/probe',
    params: { module: [BLACKBOX_HTTP_MODULE] },
    ...jobDefaults(SCRAPE_JOBS.probe),
    static_configs: config.services.flatMap((service) =>
      service.environments.map((env) => ({ targets: [env.probeUrl], labels: { service: service.name, environment: env.name } })),
    ),
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: `127.0.0.1:${PORTS.blackboxExporter}` },
    ],
  };
}

function appJob(config: PlatformConfig): Job | undefined {
  const targets = config.services.flatMap((service) =>
    service.environments
      .filter((env) => env.metricsTarget)
      .map((env) => ({
        targets: [env.metricsTarget as string],
        labels: { service: service.name, environment: env.name, __metrics_path__: env.metricsPath },
      })),
  );
  if (targets.length === 0) return undefined;
  return {
    job_name: SCRAPE_JOBS.app,
    ...jobDefaults(SCRAPE_JOBS.app),
    static_configs: targets,
    metric_relabel_configs: ROUTE_LABELS.map((label) => ({
      source_labels: [label],
      regex: UNKNOWN_ROUTE_REGEX,
      target_label: label,
      replacement: UNMATCHED_ROUTE,
    })),
  };
}

/** How often EC2 discovery asks for the app servers (DescribeInstances). */
export const EC2_SD_REFRESH_INTERVAL = '60s';

/**
 * One job per environment with an agent: EC2 discovery finds the running instances carrying every selector
 * tag and scrapes their Node Exporter at `<private IP>:<nodeExporter port>` (EC2 discovery's own address).
 * Relabeling then keeps running instances, sets `job="node"` (so HostDown, HostHighCpu, ... and the host
 * dashboard select app servers exactly like the monitoring host), `service`, `environment`, `instance` = the
 * instance id, and `instance_name` = its Name tag when it has one.
 */
function appNodeJobs(config: PlatformConfig): Job[] {
  return agentTargets(config).map((target) => ({
    job_name: appNodesJobName(target.service.name, target.environment.name),
    ...jobDefaults(SCRAPE_JOBS.appNodes),
    ec2_sd_configs: [
      {
        region: config.region,
        port: PORTS.nodeExporter,
        refresh_interval: EC2_SD_REFRESH_INTERVAL,
        filters: selectorTags(target.agent).map(([key, value]) => ({ name: `tag:${key}`, values: [value] })),
      },
    ],
    relabel_configs: [
      { source_labels: ['__meta_ec2_instance_state'], regex: 'running', action: 'keep' },
      { target_label: 'job', replacement: SCRAPE_JOBS.node },
      { target_label: 'service', replacement: target.service.name },
      { target_label: 'environment', replacement: target.environment.name },
      { source_labels: ['__meta_ec2_instance_id'], target_label: 'instance' },
      { source_labels: ['__meta_ec2_tag_Name'], target_label: 'instance_name' },
    ],
  }));
}

/** The scrape jobs, in the order they appear in prometheus.yml. */
export function scrapeJobs(config: PlatformConfig): Job[] {
  const jobs: (Job | undefined)[] = [
    localJob(config, SCRAPE_JOBS.prometheus, PORTS.prometheus),
    localJob(config, SCRAPE_JOBS.node, PORTS.nodeExporter),
    ...appNodeJobs(config),
    probeJob(config),
    localJob(config, SCRAPE_JOBS.blackbox, PORTS.blackboxExporter),
    appJob(config),
    config.dora ? localJob(config, SCRAPE_JOBS.dora, PORTS.doraExporter) : undefined,
    localJob(config, SCRAPE_JOBS.alertmanager, PORTS.alertmanager),
    localJob(config, SCRAPE_JOBS.loki, PORTS.loki),
    localJob(config, SCRAPE_JOBS.tempo, PORTS.tempo),
    grafanaJob(config),
    localJob(config, SCRAPE_JOBS.otelcol, PORTS.otelcolMetrics),
  ];
  return jobs.filter((job): job is Job => job !== undefined);
}

/**
 * How old a sample may be and still be stored (TSDB out-of-order window). Without it Prometheus refuses, as out
 * of bounds, samples older than its head block (about an hour): exactly what an app server's agent replays
 * from its disk queue after the monitoring host was unreachable for longer. An outage up to this long loses no
 * metrics; older samples are refused (logs are accepted for 7 days, traces at any age).
 */
export const METRICS_REPLAY_WINDOW = '6h';

/** /etc/prometheus/prometheus.yml. */
export function renderPrometheusConfig(config: PlatformConfig, context?: HostContext): string {
  const remoteWrite = remoteWriteConfig(config, context);
  const document = {
    global: {
      scrape_interval: SCRAPE_INTERVAL,
      scrape_timeout: SCRAPE_TIMEOUT,
      evaluation_interval: EVALUATION_INTERVAL,
    },
    alerting: {
      alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${PORTS.alertmanager}`] }] }],
    },
    storage: { tsdb: { out_of_order_time_window: METRICS_REPLAY_WINDOW } },
    rule_files: [PROMETHEUS_RULES_GLOB],
    scrape_configs: scrapeJobs(config),
    ...(remoteWrite.length ? { remote_write: remoteWrite } : {}),
  };
  return `# Rendered from the platform description by lib/prometheus; do not edit on the host.\n${dumpYaml(document)}`;
}

export function dumpYaml(document: unknown): string {
  return yaml.dump(document, { lineWidth: -1, noRefs: true, quotingType: "'" });
}
