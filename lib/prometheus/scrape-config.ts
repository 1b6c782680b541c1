import * as yaml from 'js-yaml';
import type { PlatformConfig } from '../config/schema';
import type { HostContext } from '../shared/host-file';
import { PORTS } from '../contracts/ports';
import { BLACKBOX_HTTP_MODULE } from './blackbox';
import { SCRAPE_JOBS, appNodesJobName } from '../contracts/scrape-jobs';
import { agentTargets, selectorTags } from '../agent/targets';
import { remoteWriteConfig } from './remote-write';
import { PATHS } from '../shared/host-paths';
import { appScrapeTls, credentialPath } from '../host/secrets';
import { serviceTargets, type MetricsTarget, type ServiceTarget } from '../model/targets';
import { hostServicesOf, metricsPort } from '../host/services';
import type { HostServiceDescriptor } from '../host/services/types';

/** Where Prometheus reads its rule files on the host (tests rewrite this glob to a temporary directory). */
export const PROMETHEUS_RULES_GLOB = '/etc/prometheus/rules/*.yml';
export const PROMETHEUS_CONFIG_PATH = PATHS.prometheusConfig;

/** Global scrape and evaluation settings. */
export const SCRAPE_INTERVAL = '15s';
export const SCRAPE_TIMEOUT = '10s';
export const EVALUATION_INTERVAL = '30s';

/** The `instance` label of every series scraped from the monitoring host itself (host alerts carry it). */
export function hostInstanceName(config: PlatformConfig): string {
  return `${config.name}-monitoring`;
}

/**
 * Cardinality guards of the jobs that scrape no host service (each host service's is its descriptor's
 * `sampleLimit`): a target exposing more samples than `sample_limit`, or a series with more labels than
 * `label_limit`, fails its scrape (and `up` goes to 0) instead of flooding the TSDB.
 */
export const SCRAPE_LIMITS = {
  [SCRAPE_JOBS.probe]: 500,
  [SCRAPE_JOBS.app]: 20000,
  [SCRAPE_JOBS.appNodes]: 10000,
} as const;
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
export const UNKNOWN_ROUTE_REGEX = '(?:none|None|unknown|not[_-]?found|NotFound|404|.*/[0-9]{2,}(?:/.*)?|.*/[0-9a-fA-F-]{16,}(?:/.*)?|.*\\?.*)';

type Job = Record<string, unknown>;

/**
 * How Prometheus parses a scrape whose Content-Type is missing, empty or unknown (many hand-written /metrics
 * handlers send none): as the classic text format. Without it Prometheus 3 fails the scrape and the target is down.
 */
export const FALLBACK_SCRAPE_PROTOCOL = 'PrometheusText0.0.4';

/** What every job shares: its limits and the fallback parser. */
function jobDefaults(sampleLimit: number): Job {
  return {
    fallback_scrape_protocol: FALLBACK_SCRAPE_PROTOCOL,
    sample_limit: sampleLimit,
    label_limit: LABEL_LIMIT,
    label_name_length_limit: LABEL_NAME_LENGTH_LIMIT,
    label_value_length_limit: LABEL_VALUE_LENGTH_LIMIT,
  };
}

/**
 * The job scraping a program of the host over loopback, from its descriptor: its scrape job, metrics port,
 * sample limit and settings; `instance` becomes the host's name.
 */
function serviceJob(config: PlatformConfig, service: HostServiceDescriptor): Job {
  return {
    job_name: service.scrapeJob,
    ...jobDefaults(service.sampleLimit),
    static_configs: [{ targets: [`127.0.0.1:${metricsPort(service, config)}`] }],
    relabel_configs: [{ target_label: 'instance', replacement: hostInstanceName(config) }],
    ...service.scrapeSettings?.(config),
  };
}

function probeJob(config: PlatformConfig): Job {
  return {
    job_name: SCRAPE_JOBS.probe,
    metrics_path: '/probe',
    params: { module: [BLACKBOX_HTTP_MODULE] },
    ...jobDefaults(SCRAPE_LIMITS[SCRAPE_JOBS.probe]),
    static_configs: serviceTargets(config).map((target) => ({
      targets: [target.probeUrl],
      labels: { service: target.service, environment: target.environment },
    })),
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: `127.0.0.1:${PORTS.blackboxExporter}` },
    ],
  };
}

/** What every app job applies to the series it scrapes: unknown routes collapse into one value. */
function appMetricRelabeling(): Job {
  return {
    metric_relabel_configs: ROUTE_LABELS.map((label) => ({
      source_labels: [label],
      regex: UNKNOWN_ROUTE_REGEX,
      target_label: label,
      replacement: UNMATCHED_ROUTE,
    })),
  };
}

function appTarget(target: ServiceTarget, metrics: MetricsTarget) {
  return { targets: [metrics.address], labels: { service: target.service, environment: target.environment, __metrics_path__: metrics.path } };
}

/** The plain-HTTP app targets, in one job `app`. */
function appJob(config: PlatformConfig): Job | undefined {
  const targets = serviceTargets(config).flatMap((target) => (target.metrics && !target.metrics.tls ? [appTarget(target, target.metrics)] : []));
  if (targets.length === 0) return undefined;
  return { job_name: SCRAPE_JOBS.app, ...jobDefaults(SCRAPE_LIMITS[SCRAPE_JOBS.app]), static_configs: targets, ...appMetricRelabeling() };
}

/** Prefix of the per-environment HTTPS app jobs; their series still say `job="app"`. */
export const APP_TLS_JOB_PREFIX = `${SCRAPE_JOBS.app}-tls-`;

/**
 * One job per environment scraped over HTTPS (scheme and TLS settings are per job in Prometheus), relabeled to
 * `job="app"` so the app alerts, SLOs and dashboards see it like any other app target. The CA and the client
 * pair are systemd credentials of the prometheus unit (lib/host/secrets.ts).
 */
function appTlsJobs(config: PlatformConfig): Job[] {
  return appScrapeTls(config).map((tls) => {
    const tlsConfig: Record<string, string> = {};
    if (tls.settings.caParameter) tlsConfig.ca_file = credentialPath('prometheus', tls.credentials.ca);
    if (tls.settings.serverName) tlsConfig.server_name = tls.settings.serverName;
    if (tls.settings.clientCertificateParameter) {
      tlsConfig.cert_file = credentialPath('prometheus', tls.credentials.certificate);
      tlsConfig.key_file = credentialPath('prometheus', tls.credentials.key);
    }
    return {
      job_name: `${APP_TLS_JOB_PREFIX}${tls.service}-${tls.environment}`,
      scheme: 'https',
      tls_config: tlsConfig,
      ...jobDefaults(SCRAPE_LIMITS[SCRAPE_JOBS.app]),
      static_configs: [appTarget(tls.target, tls.target.metrics)],
      relabel_configs: [{ target_label: 'job', replacement: SCRAPE_JOBS.app }],
      ...appMetricRelabeling(),
    };
  });
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
    ...jobDefaults(SCRAPE_LIMITS[SCRAPE_JOBS.appNodes]),
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

/**
 * The description's own `scrapeJobs`: fixed targets, or EC2 discovery of running instances carrying every tag
 * (scraped at their private IP). Either way each series gets the job's `service` and `environment`, as the
 * platform's app jobs do, so service dashboards and alerts select them alike.
 */
function customJobs(config: PlatformConfig): Job[] {
  return config.scrapeJobs.map((job) => {
    const labels = { service: job.service, environment: job.environment };
    const common: Job = {
      job_name: job.name,
      ...(job.metricsPath !== '/metrics' ? { metrics_path: job.metricsPath } : {}),
      ...jobDefaults(job.sampleLimit),
    };
    if (job.targets) return { ...common, static_configs: [{ targets: job.targets, labels }] };
    const ec2 = job.ec2!;
    return {
      ...common,
      ec2_sd_configs: [
        {
          region: config.region,
          port: ec2.port,
          refresh_interval: EC2_SD_REFRESH_INTERVAL,
          filters: Object.entries(ec2.tag).map(([key, value]) => ({ name: `tag:${key}`, values: [value] })),
        },
      ],
      relabel_configs: [
        { source_labels: ['__meta_ec2_instance_state'], regex: 'running', action: 'keep' },
        ...Object.entries(labels).map(([label, value]) => ({ target_label: label, replacement: value })),
        { source_labels: ['__meta_ec2_instance_id'], target_label: 'instance' },
        { source_labels: ['__meta_ec2_tag_Name'], target_label: 'instance_name' },
      ],
    };
  });
}

/**
 * The scrape jobs, in the order they appear in prometheus.yml: one per program the host runs (generated from its
 * descriptor, in start order), then the app servers' nodes, the probes, the apps and the description's own jobs.
 */
export function scrapeJobs(config: PlatformConfig): Job[] {
  const jobs: (Job | undefined)[] = [
    ...hostServicesOf(config).map((service) => serviceJob(config, service)),
    ...appNodeJobs(config),
    probeJob(config),
    appJob(config),
    ...appTlsJobs(config),
    ...customJobs(config),
  ];
  return jobs.filter((job): job is Job => job !== undefined);
}

/**
 * Labels Prometheus adds to every alert it sends and every series it remote-writes, so that a shared
 * Alertmanager or a central store can tell which platform and region they came from. A series that already has
 * such a label (an app exporting its own `region`) keeps its value: Prometheus only fills absent labels.
 */
export function externalLabels(config: PlatformConfig): Record<string, string> {
  return { platform: config.name, region: config.region };
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
      external_labels: externalLabels(config),
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
