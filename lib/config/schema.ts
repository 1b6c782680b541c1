import { z } from 'zod';
import { isIP } from 'node:net';
import { formatPath } from './errors';

/**
 * The platform description's schema: every field, its validation and its default live here and only here.
 * Messages given to refinements are the "allowed" half of a PlatformConfigError; the loader adds file,
 * path and the value found.
 */

/** Default histogram boundaries of the Prometheus client libraries (seconds). */
export const DEFAULT_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

function strict<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const secretLike = issue.keys.find((k) => /(url|token|password|secret|key)$/i.test(k) && !k.endsWith('Parameter'));
      const hint = secretLike
        ? `; secrets are never given as values: store it in SSM Parameter Store and name it with \`${secretLike}Parameter\` where that key exists`
        : '';
      return `allowed keys here: ${keys.join(', ')}${hint}`;
    },
  });
}

const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;
const name = (what: string) =>
  z.string({ error: `expected ${what}: lowercase letters, digits and dashes, 2-32 characters, starting with a letter` })
    .regex(NAME, `expected ${what}: lowercase letters, digits and dashes, 2-32 characters, starting with a letter`);

/** `30d`, `4w`, `12h`: a Prometheus-compatible duration with one unit. */
export const DURATION = /^([1-9][0-9]*)(m|h|d|w)$/;
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration the schema accepted (`30d` → 2592000). */
export function durationSeconds(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

const duration = (allowed: string, minSeconds: number, maxSeconds: number) =>
  z.string({ error: allowed }).refine(
    (value) => DURATION.test(value) && durationSeconds(value) >= minSeconds && durationSeconds(value) <= maxSeconds,
    allowed,
  );

function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || prefix === undefined || !/^[0-9]{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  if (family === 0) return false;
  const bits = Number(prefix);
  if (bits > (family === 4 ? 32 : 128)) return false;
  if (family === 6) return true;
  const value32 = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const hostBits = 32 - bits;
  return hostBits === 32 ? value32 === 0 : value32 % 2 ** hostBits === 0;
}

const cidr = z.string({ error: 'expected a CIDR block such as 10.0.0.0/16' }).refine(
  isCidr,
  'expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)',
);

/** Characters a URL must percent-encode; unencoded they could break out of YAML, PromQL or Go templates. */
const URL_UNSAFE = /[\s"'<>\\^`{|}]/;

/** `credentialsFix`: where this URL's credentials go instead, named in the message when a URL carries them. */
const httpUrl = (what: string, credentialsFix = 'secrets belong in SSM parameters') =>
  z.string({ error: `expected ${what}: an http(s) URL` }).superRefine((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname.length === 0)
      ctx.addIssue({ code: 'custom', message: `expected ${what}: an absolute http:// or https:// URL` });
    else if (url.username || url.password)
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} without credentials (user:password@): URLs end up in rendered files, alerts and Terraform state; ${credentialsFix}`,
      });
    else if (URL_UNSAFE.test(value))
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} with spaces, quotes, backslashes, braces, angle brackets, | ^ and \` percent-encoded (e.g. %20, %22, %7B)`,
      });
  });

/** 0.0.0.0/0, ::/0: the whole internet. */
export function isWorldCidr(value: string): boolean {
  return /\/0$/.test(value);
}

const SSM_NAME = /^\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const SECRET_VALUE = /^(https?:|xox[abprs]-|gh[pousr]_|github_pat_|glpat-|AKIA)/;

/** A reference to a secret: the name of an SSM parameter (SecureString), never the secret itself. */
const ssmParameterName = z.string({ error: 'expected the name of an SSM parameter, e.g. /anvila/slack-webhook' }).superRefine((value, ctx) => {
  if (SECRET_VALUE.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook',
    });
  } else if (!SSM_NAME.test(value) || value.length > 1011) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected the name of an SSM parameter: a path starting with "/" made of letters, digits and _ . - (e.g. /anvila/slack-webhook)',
    });
  }
});

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** EC2 tag keys an agent selector may use: safe as an EC2 filter name and as a Prometheus meta-label suffix. */
export const AGENT_TAG_KEY = /^(?!aws:)[A-Za-z][A-Za-z0-9_.:\/-]{0,127}$/;
/** EC2 tag values an agent selector may use: no EC2 filter wildcards (`*`, `?`), commas, quotes or spaces. */
export const AGENT_TAG_VALUE = /^[A-Za-z0-9_.:\/+=@-]{1,255}$/;
/** An SSM association targets at most 5 tags. */
export const AGENT_MAX_TAGS = 5;

/**
 * The telemetry agent on this environment's app servers (Node Exporter + OpenTelemetry Collector), installed
 * and kept running through an SSM association on every instance whose tags match `selector`.
 */
const agent = strict({
  /** Which EC2 instances are this environment's app servers. */
  selector: strict({
    /**
     * Every tag an instance must carry, e.g. `{ Role: anvila-api, Env: production }`: 1 to 5 tags; keys are
     * letters, digits and `_ . : / -` (not `aws:`), values letters, digits and `_ . : / + = @ -` (no wildcards).
     */
    tag: z
      .record(
        z.string(),
        z.string({ error: 'expected a tag value' }).regex(AGENT_TAG_VALUE, 'expected a tag value of letters, digits and _ . : / + = @ - (no wildcards, spaces or commas), 1-255 characters'),
        { error: 'expected a map of EC2 tags, e.g. { Role: anvila-api, Env: production }' },
      )
      .superRefine((tags, ctx) => {
        const keys = Object.keys(tags);
        if (keys.length < 1 || keys.length > AGENT_MAX_TAGS) ctx.addIssue({ code: 'custom', input: tags, message: `expected 1 to ${AGENT_MAX_TAGS} tags` });
        for (const key of keys)
          if (!AGENT_TAG_KEY.test(key))
            ctx.addIssue({ code: 'custom', path: [key], input: key, message: 'expected a tag key of letters, digits and _ . : / - starting with a letter, and not aws: (reserved)' });
      }),
  }),
  /** Which logs the agent's collector reads. @default { journald: [], files: [] } */
  logs: strict({
    /** systemd units whose journal the collector reads, e.g. `[anvila-api.service]`. @default [] */
    journald: z.array(z.string().regex(/^[A-Za-z0-9@._:-]{1,255}$/, 'expected a systemd unit name such as anvila-api.service')).default([]),
    /** Absolute paths or globs of log files the collector tails, e.g. `[/var/log/anvila/*.log]`. @default [] */
    files: z.array(z.string().regex(/^\/[^\s'"`$\\]*$/, 'expected an absolute path or glob such as /var/log/anvila/*.log (no spaces or quotes)')).default([]),
  }).prefault({}),
  /**
   * Security group of the app servers. With it, the agent construct opens OTLP gRPC from it on the monitoring
   * host and Node Exporter from the monitoring host on it. Without it, OTLP arrives through
   * `host.telemetrySourceCidrs`, and the app servers' own group must admit the monitoring host on 9100.
   */
  appSecurityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/, 'expected a security group id such as sg-0123456789abcdef0').optional(),
  /** Also send the collector's own host metrics (hostmetrics receiver) as OTLP; Node Exporter covers the host already. @default false */
  hostMetrics: z.boolean().default(false),
});

const environment = strict({
  name: name('an environment name'),
  probeUrl: httpUrl('the URL the blackbox exporter probes'),
  /** `host:port` of the app's /metrics endpoint; optional. */
  metricsTarget: z
    .string({ error: 'expected host:port of the app metrics endpoint, e.g. 10.0.1.10:8000' })
    .regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'expected host:port of the app metrics endpoint, e.g. 10.0.1.10:8000')
    .optional(),
  /** Path of the app's metrics endpoint. @default /metrics */
  metricsPath: z.string().regex(/^\/\S*$/, 'expected an absolute URL path such as /metrics').default('/metrics'),
  /** Install the telemetry agent on this environment's app servers, selected by EC2 tags. @default no agent */
  agent: agent.optional(),
});

const latencySli = strict({
  latency: strict({
    /** Requests at or under this many seconds are good; must be one of the service's `latencyBuckets`. */
    threshold: z.number({ error: 'expected a number of seconds, e.g. 0.5' }).positive('expected a positive number of seconds, e.g. 0.5'),
  }),
});

const sli = z.union([z.literal('probe'), z.literal('errors'), latencySli], {
  error: 'expected one of: probe, errors, or { latency: { threshold: <seconds> } }',
});

const slo = strict({
  name: name('an SLO name'),
  /** Target share of good events, in percent, strictly between 0 and 100. */
  objective: z
    .number({ error: 'expected a percentage strictly between 0 and 100, e.g. 99.5' })
    .gt(0, 'expected a percentage strictly between 0 and 100, e.g. 99.5')
    .lt(100, 'expected a percentage strictly between 0 and 100, e.g. 99.5'),
  /**
   * Compliance window: whole days, from 3d (the slow-burn alert's longest window) to 90d, so every alert window
   * fits into it. @default 30d
   */
  window: duration('expected a window between 1d and 90d such as 30d or 4w', 86400, 90 * 86400)
    .refine(
      (value) => !DURATION.test(value) || (durationSeconds(value) % 86400 === 0 && durationSeconds(value) >= 3 * 86400),
      'expected a whole number of days, at least 3d (the longest burn-rate alert window), e.g. 7d, 28d or 30d',
    )
    .default('30d'),
  sli,
  description: z.string().optional(),
});

const service = strict({
  name: name('a service name'),
  /** Owning team, shown in alerts. */
  team: z.string().optional(),
  environments: z.array(environment, { error: 'expected a list of environments' }).min(1, 'expected at least one environment'),
  slos: z.array(slo, { error: 'expected a list of SLOs' }).default([]),
  /** Histogram boundaries of `http_request_duration_seconds` that the app exposes. @default client-library defaults */
  latencyBuckets: z
    .array(z.number().positive('expected positive bucket boundaries in seconds'))
    .min(1)
    .default(DEFAULT_LATENCY_BUCKETS),
});

const retention = strict({
  /** Prometheus time-based retention. @default 30d */
  metrics: duration('expected a duration between 1d and 730d, e.g. 30d', 86400, 730 * 86400).default('30d'),
  /** Loki retention. @default 14d */
  logs: duration('expected a duration between 1d and 730d, e.g. 14d', 86400, 730 * 86400).default('14d'),
  /** Tempo retention. @default 7d */
  traces: duration('expected a duration between 1h and 90d, e.g. 7d', 3600, 90 * 86400).default('7d'),
});

const artifactMirror = strict({
  /** Download every artifact from `s3://<s3Bucket>/<prefix>/<file>` with the instance role. */
  s3Bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name').optional(),
  /** Download every artifact from `<httpsBaseUrl>/<file>`. */
  httpsBaseUrl: httpUrl('the mirror base URL').refine((v) => v.startsWith('https://'), 'expected an https:// URL').optional(),
  /** Key prefix inside the mirror. @default lgtm-artifacts */
  prefix: z.string().default('lgtm-artifacts'),
});

/** A loopback host: the only place a plain-http AWS endpoint is accepted (a local test endpoint on the host itself). */
const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

const awsEndpointUrl = (service: string) =>
  httpUrl(`the ${service} endpoint URL`).refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || LOOPBACK_HOST.test(url.hostname);
  }, `expected an https:// URL (plain http:// only on a loopback address such as http://127.0.0.1:4566)`);

/**
 * AWS endpoints the host's scripts call instead of the regional defaults: interface VPC endpoints, FIPS
 * endpoints, or a local stand-in in tests. Written to the bootstrap file as `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL_SSM` and passed to every `aws` call as `--endpoint-url`. @default the regional endpoints
 */
const awsEndpoints = strict({
  /** S3 endpoint for the config bucket, the artifact mirror bucket and the installer download. */
  s3: awsEndpointUrl('S3').optional(),
  /** SSM endpoint for the boot-time secret fetch. */
  ssm: awsEndpointUrl('SSM').optional(),
});

const host = strict({
  /** EC2 instance type; the CPU architecture (x86_64 or arm64) follows from it. @default t3.large */
  instanceType: z.string({ error: 'expected an EC2 instance type such as t3.large' }).regex(INSTANCE_TYPE, 'expected an EC2 instance type such as t3.large or m7g.xlarge').default('t3.large'),
  /** Who may open Grafana (port `grafanaPort`). Nothing else on the host is public. 0.0.0.0/0 or ::/0 only with `allowPublicGrafana`. */
  grafanaAllowedCidrs: z.array(cidr, { error: 'expected a list of CIDR blocks' }).min(1, 'expected at least one CIDR block'),
  /** App servers that push logs, traces and metrics (OTLP 4317/4318, Loki push 3100). @default [] */
  telemetrySourceCidrs: z.array(cidr, { error: 'expected a list of CIDR blocks' }).default([]),
  /** Size of the encrypted data volume holding metrics, logs and traces. @default 50 */
  dataVolumeGiB: z.number({ error: 'expected a whole number of GiB between 10 and 16384' }).int('expected a whole number of GiB between 10 and 16384').min(10, 'expected a whole number of GiB between 10 and 16384').max(16384, 'expected a whole number of GiB between 10 and 16384').default(50),
  /** Size of the encrypted root volume. @default 20 */
  rootVolumeGiB: z.number().int().min(8, 'expected at least 8 GiB').max(1024).default(20),
  /** Port Grafana listens on. @default 3000 */
  grafanaPort: z.number().int().min(1024, 'expected an unprivileged port 1024-65535').max(65535).default(3000),
  /** Subnet to launch in; the default VPC's subnet in `availabilityZone` when absent. */
  subnetId: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'expected a subnet id such as subnet-0123456789abcdef0').optional(),
  /** Availability zone of host and data volume when no subnet is given. @default <region>a */
  availabilityZone: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$/, 'expected an availability zone such as us-east-1a').optional(),
  /** Grafana admin password, read at boot; the Grafana stack logs in with it unless `grafana.authParameter` is set. @default /<name>/grafana-admin-password */
  grafanaAdminPasswordParameter: ssmParameterName.optional(),
  /** Serve Grafana over HTTPS with your certificate, read at boot from SSM (SecureString, PEM). @default plain HTTP */
  grafanaTls: strict({
    /** The certificate chain, PEM (an advanced-tier parameter holds up to 8 KB). */
    certificateParameter: ssmParameterName,
    /** The certificate's private key, PEM. */
    privateKeyParameter: ssmParameterName,
    /** The host name the certificate is for; Grafana's URL uses it. @default the Elastic IP's address */
    domain: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a DNS name such as grafana.example.com').optional(),
  }).optional(),
  retention: retention.prefault({}),
  /** Where the host downloads programs from, for hosts without internet egress. @default publishers' release URLs */
  artifactMirror: artifactMirror.optional(),
  /** Per-artifact SHA-256 pins (`prometheus-x86_64: <hex>`), checked instead of the publisher's checksum file. */
  /** AWS endpoints the host calls instead of the regional ones (VPC endpoints, FIPS). @default the regional endpoints */
  awsEndpoints: awsEndpoints.optional(),
  artifactChecksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 checksum: 64 lowercase hex digits')).default({}),
  /** Explicit opt-in to 0.0.0.0/0 or ::/0 in `grafanaAllowedCidrs`: Grafana reachable from the whole internet. @default false */
  allowPublicGrafana: z.boolean({ error: 'expected true or false' }).default(false),
  /** One-minute CloudWatch metrics for the host (EC2 detailed monitoring, billed by AWS). @default true */
  detailedMonitoring: z.boolean({ error: 'expected true or false' }).default(true),
  /** EC2 termination protection on the monitoring host; turn off before `cdktf destroy`. @default true */
  disableApiTermination: z.boolean({ error: 'expected true or false' }).default(true),
});

const slack = strict({
  /** SSM SecureString holding the Slack incoming-webhook URL. */
  webhookUrlParameter: ssmParameterName,
  channels: strict({
    critical: z.string().regex(/^[#@]?[a-z0-9._-]{1,80}$/, 'expected a Slack channel such as #team-incidents'),
    warning: z.string().regex(/^[#@]?[a-z0-9._-]{1,80}$/, 'expected a Slack channel such as #team-alerts'),
  }),
});

const extraReceiver = strict({
  name: name('a receiver name'),
  /** Which severities reach it. @default [critical, warning] */
  severities: z.array(z.enum(['critical', 'warning', 'info'])).default(['critical', 'warning']),
  /** Generic webhook: SSM parameter holding its URL. */
  webhookUrlParameter: ssmParameterName.optional(),
  /** E-mail address (needs `alerting.smtp`). */
  email: z.string().regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'expected an e-mail address such as oncall@example.com').optional(),
});

const thresholds = strict({
  cpuPercent: z.number().gt(0).lte(100).default(90),
  memoryPercent: z.number().gt(0).lte(100).default(90),
  diskPercent: z.number().gt(0).lte(100).default(85),
  /** Alert when the disk is predicted to fill within this many hours. */
  diskFullWithinHours: z.number().positive().default(24),
  /** The fill prediction only watches filesystems with less free space than this, so a burst on a mostly empty disk stays quiet. @default 40 */
  diskFillingFreePercent: z.number().gt(0).lte(100).default(40),
  probeLatencySeconds: z.number().positive().default(1),
  tlsExpiryDays: z.number().positive().default(14),
  app5xxPercent: z.number().gt(0).lt(100).default(5),
  doraChangeFailureRatePercent: z.number().gt(0).lte(100).default(30),
  doraTimeToRestoreHours: z.number().positive().default(24),
});

const alerting = strict({
  slack,
  /** Base of every alert's `runbook_url`; the runbook file name is appended. */
  runbookBaseUrl: httpUrl('the base URL of the runbooks'),
  /** Base URL of Grafana used in `dashboard_url`; the Elastic IP's address when absent. */
  grafanaBaseUrl: httpUrl('the Grafana base URL').optional(),
  thresholds: thresholds.prefault({}),
  receivers: z.array(extraReceiver).default([]),
  smtp: strict({
    smarthost: z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'expected host:port'),
    from: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'expected an e-mail address'),
    username: z.string().optional(),
    passwordParameter: ssmParameterName.optional(),
  }).optional(),
});

const doraRepository = strict({
  /** `owner/name` on GitHub. */
  repo: z.string({ error: 'expected owner/name of a GitHub repository' }).regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name of a GitHub repository, e.g. acme/anvila-api'),
  /** File name of the deploy workflow under .github/workflows. */
  deployWorkflow: z.string({ error: 'expected a workflow file name such as deploy.yml' }).regex(/^[A-Za-z0-9_.-]+\.ya?ml$/, 'expected a workflow file name such as deploy.yml'),
  /** Environment label of its deploys. @default production */
  environment: name('an environment name').default('production'),
  /** Branch whose runs count as deploys. @default the repository's default branch */
  branch: z.string().optional(),
});

const dora = strict({
  githubTokenParameter: ssmParameterName,
  /** GitHub REST base URL (GitHub Enterprise: https://HOST/api/v3). @default https://api.github.com */
  apiUrl: httpUrl('the GitHub API base URL').default('https://api.github.com'),
  /** @default 300 */
  pollIntervalSeconds: z.number().int().min(60, 'expected at least 60 seconds, to stay within the API rate limit').max(86400).default(300),
  /** Issues with this label are incidents (change failure and time to restore). @default incident */
  incidentLabel: z.string().default('incident'),
  /** Commit-message or run-title markers that mark a deploy as a rollback or hotfix of the previous one. */
  rollbackMarkers: z.array(z.string()).default(['revert', 'rollback', 'hotfix']),
  repositories: z.array(doraRepository).min(1, 'expected at least one repository'),
});


const ingestNodes = strict({
  /** @default 2 */
  min: z.number().int('expected a whole number of nodes').min(1, 'expected at least 1 node').max(100, 'expected at most 100 nodes').default(2),
  /** @default 6 */
  max: z.number().int('expected a whole number of nodes').min(1, 'expected at least 1 node').max(100, 'expected at most 100 nodes').default(6),
  /** @default min */
  desired: z.number().int('expected a whole number of nodes').min(1, 'expected at least 1 node').max(100, 'expected at most 100 nodes').optional(),
});

/** Scale-out settings; only meaningful with `scale: distributed`. */
const distributed = strict({
  /**
   * Where Prometheus remote-writes and Grafana reads metrics long-term. `{ amp: {} }` creates an Amazon Managed
   * Service for Prometheus workspace (SigV4 with the instance role); `{ remoteWriteUrl, ... }` is any
   * Prometheus remote-write endpoint (Grafana Mimir, Cortex, Thanos receive). @default { amp: {} }
   */
  metricsStore: z
    .union(
      [
        strict({
          /** An Amazon Managed Service for Prometheus workspace created by the infra stack. */
          amp: strict({
            /** Workspace alias. @default <name>-metrics */
            alias: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'expected a workspace alias: letters, digits, _ . - (up to 100)').optional(),
          }),
        }),
        strict({
          /** The store's remote-write endpoint, e.g. https://mimir.example.com/api/v1/push. */
          remoteWriteUrl: httpUrl('the remote-write endpoint', "name the credentials' SSM parameters instead (basicAuthPasswordParameter or bearerTokenParameter)"),
          /** Prometheus-compatible query base URL Grafana reads from (e.g. https://mimir.example.com/prometheus). @default Grafana keeps reading the local Prometheus */
          queryUrl: httpUrl('the query base URL').optional(),
          /** Basic-auth user name (not a secret); needs `basicAuthPasswordParameter`. */
          basicAuthUsername: z.string().min(1).optional(),
          /** SSM SecureString holding the basic-auth password. */
          basicAuthPasswordParameter: ssmParameterName.optional(),
          /** SSM SecureString holding a bearer token. */
          bearerTokenParameter: ssmParameterName.optional(),
          /** Tenant header for multi-tenant stores (Mimir/Cortex `X-Scope-OrgID`). */
          tenant: z.string().regex(/^[A-Za-z0-9_.!*'()-]{1,150}$/, 'expected a tenant id such as anvila').optional(),
        }),
      ],
      { error: 'expected { amp: {} } or { remoteWriteUrl: https://..., ... } (credentials only as SSM parameter names)' },
    )
    .default({ amp: {} }),
  /** Stateless OpenTelemetry Collector nodes behind an internal Network Load Balancer for OTLP. @default none */
  ingest: strict({
    nodes: ingestNodes.prefault({}),
    /** EC2 instance type of an ingest node. @default t3.medium */
    instanceType: z.string({ error: 'expected an EC2 instance type such as t3.medium' }).regex(INSTANCE_TYPE, 'expected an EC2 instance type such as t3.medium or c7g.large').default('t3.medium'),
    /** Subnets of the nodes and the load balancer (two or more availability zones recommended). @default the default VPC's default subnets */
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'expected a subnet id such as subnet-0123456789abcdef0')).min(1, 'expected at least one subnet').optional(),
  }).optional(),
  /** Days after which noncurrent object versions in the Loki/Tempo buckets are removed. @default 7 */
  noncurrentVersionDays: z.number().int().min(1, 'expected at least 1 day').max(365, 'expected at most 365 days').default(7),
});

export const platformSchema = strict({
  /** Prefix of every resource and stack: lowercase, 2-32 characters. */
  name: name('a platform name'),
  /** AWS region. */
  region: z.string({ error: 'expected an AWS region such as us-east-1' }).regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'expected an AWS region such as us-east-1'),
  /** Tags on every AWS resource (AWS tag rules: letters, digits, spaces and _ . : / = + - @). @default {} */
  tags: z
    .record(
      z.string().regex(/^(?!aws:)[\p{L}\p{N}\p{Zs}_.:/=+\-@]{1,128}$/u, 'expected tag keys of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:'),
      z.string({ error: 'expected a tag value (a string)' }).regex(/^[\p{L}\p{N}\p{Zs}_.:/=+\-@]{0,256}$/u, 'expected a tag value of at most 256 letters, digits, spaces and _ . : / = + - @'),
    )
    .default({}),
  host,
  services: z.array(service, { error: 'expected a list of services' }).min(1, 'expected at least one service'),
  alerting,
  dora: dora.optional(),
  /** Where both stacks keep their Terraform state. @default local state files next to the app (cdktf's default) */
  terraformState: strict({
    /** S3 bucket holding the state (versioned and encrypted, created beforehand). */
    s3Bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
    /** Key prefix: each stack's state is `<keyPrefix>/<stack>.tfstate`. @default <name> */
    keyPrefix: z.string().regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'expected a key prefix such as platform/anvila').optional(),
    /** Region of the state bucket. @default region */
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'expected an AWS region such as us-east-1').optional(),
    /** DynamoDB table for state locks; without it Terraform's S3 lock file is used (Terraform 1.10 or later). */
    dynamodbTable: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name').optional(),
  }).optional(),
  /**
   * `single`: everything on the monitoring host's data volume. `distributed`: Loki and Tempo keep their data in
   * S3, Prometheus remote-writes to a distributed metrics store, optional ingest nodes; see `distributed`.
   * @default single
   */
  scale: z.enum(['single', 'distributed'], { error: 'expected single or distributed' }).default('single'),
  /** Scale-out settings, only with `scale: distributed`. @default { metricsStore: { amp: {} } } */
  distributed: distributed.optional(),
  grafana: strict({
    /** SSM parameter holding the Grafana provider's auth (a service-account token or `user:password`). @default admin with `host.grafanaAdminPasswordParameter` */
    authParameter: ssmParameterName.optional(),
  }).prefault({}),
  /** The synth-time policy rules (docs/policy-rules.md). @default no suppressions */
  policy: strict({
    /** Findings accepted for one resource each, with a written reason that synth prints. @default [] */
    suppressions: z
      .array(
        strict({
          /** Rule id, e.g. LGTM-EC2-DETAILED-MONITORING. */
          rule: z.string({ error: 'expected a policy rule id such as LGTM-EC2-DETAILED-MONITORING' }).regex(/^LGTM-[A-Z0-9-]+$/, 'expected a policy rule id such as LGTM-EC2-DETAILED-MONITORING'),
          /** Path of exactly one resource as synth reports it, e.g. anvila-infra/host/instance. */
          resource: z.string({ error: 'expected the path of one resource, e.g. anvila-infra/host/instance' }).regex(/^[A-Za-z0-9-]+\/\S+$/, 'expected the path of one resource as synth reports it, e.g. anvila-infra/host/instance'),
          /** Why the finding is acceptable here (at least 20 characters); printed by synth. */
          reason: z.string({ error: 'expected a written reason' }).trim().min(20, 'expected a written reason of at least 20 characters: why this finding is acceptable for this resource'),
        }),
      )
      .default([]),
  }).prefault({}),
}).superRefine((config, ctx) => {
  const seen = (items: { name: string }[], path: (string | number)[], what: string) => {
    const first = new Map<string, number>();
    items.forEach((item, index) => {
      const earlier = first.get(item.name);
      if (earlier === undefined) first.set(item.name, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: [...path, index, 'name'],
          input: item.name,
          message: `${what} names must be unique, and ${JSON.stringify(item.name)} is already used at ${formatPath([...path, earlier])}`,
        });
    });
  };
  seen(config.services, ['services'], 'service');
  seen(config.alerting.receivers, ['alerting', 'receivers'], 'receiver');
  config.host.grafanaAllowedCidrs.forEach((block, i) => {
    if (isWorldCidr(block) && !config.host.allowPublicGrafana)
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'grafanaAllowedCidrs', i],
        input: block,
        message: `${block} opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true`,
      });
  });
  for (const key of ['grafanaAllowedCidrs', 'telemetrySourceCidrs'] as const) {
    const first = new Map<string, number>();
    config.host[key].forEach((block, i) => {
      const earlier = first.get(block.toLowerCase());
      if (earlier === undefined) first.set(block.toLowerCase(), i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['host', key, i],
          input: block,
          message: `each CIDR block once (case does not matter), and ${JSON.stringify(block)} is already listed at host.${key}[${earlier}]`,
        });
    });
  }
  config.host.telemetrySourceCidrs.forEach((block, i) => {
    if (isWorldCidr(block))
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'telemetrySourceCidrs', i],
        input: block,
        message: 'telemetry receivers (OTLP 4317/4318, Loki push 3100) are never open to the whole internet: name the app networks, e.g. 10.0.0.0/16',
      });
  });
  if (config.dora) {
    const repos = new Map<string, number>();
    config.dora.repositories.forEach((repository, r) => {
      const key = repository.repo.toLowerCase();
      const earlier = repos.get(key);
      if (earlier === undefined) repos.set(key, r);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['dora', 'repositories', r, 'repo'],
          input: repository.repo,
          message: `GitHub repository names ignore case, and ${JSON.stringify(repository.repo)} is already listed at dora.repositories[${earlier}]`,
        });
    });
  }
  config.services.forEach((svc, s) => {
    seen(svc.environments, ['services', s, 'environments'], 'environment');
    seen(svc.slos, ['services', s, 'slos'], 'SLO');
    const sorted = [...svc.latencyBuckets].sort((a, b) => a - b);
    svc.slos.forEach((objective, o) => {
      if (typeof objective.sli === 'object') {
        const threshold = objective.sli.latency.threshold;
        if (!svc.latencyBuckets.includes(threshold))
          ctx.addIssue({
            code: 'custom',
            path: ['services', s, 'slos', o, 'sli', 'latency', 'threshold'],
            input: threshold,
            message: `the threshold must be a bucket boundary of http_request_duration_seconds; this service's boundaries (services[${s}].latencyBuckets) are ${sorted.join(', ')}`,
          });
      } else if (objective.sli === 'errors' || objective.sli === 'probe') {
        const needsMetrics = objective.sli === 'errors';
        if (needsMetrics && !svc.environments.some((env) => env.metricsTarget))
          ctx.addIssue({
            code: 'custom',
            path: ['services', s, 'slos', o, 'sli'],
            input: objective.sli,
            message: 'an errors SLI reads http_requests_total, so at least one environment of this service needs a metricsTarget',
          });
      }
    });
  });
  // Two agents on one instance would overwrite each other's collector config on every association run.
  const selectors: { tags: Record<string, string>; path: (string | number)[] }[] = [];
  config.services.forEach((svc, s) =>
    svc.environments.forEach((env, e) => {
      if (!env.agent) return;
      const path = ['services', s, 'environments', e, 'agent', 'selector', 'tag'];
      const tags = env.agent.selector.tag;
      const clash = selectors.find((other) => !Object.keys(tags).some((key) => key in other.tags && other.tags[key] !== tags[key]));
      if (clash)
        ctx.addIssue({
          code: 'custom',
          path,
          input: tags,
          message: `this selector can match the same instances as ${formatPath(clash.path)}: give both a tag key with different values (e.g. Env)`,
        });
      selectors.push({ tags, path });
    }),
  );
  config.services.forEach((svc, s) =>
    svc.environments.forEach((env, e) => {
      if (env.agent && !env.agent.appSecurityGroupId && config.host.telemetrySourceCidrs.length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['services', s, 'environments', e, 'agent', 'appSecurityGroupId'],
          input: undefined,
          message: "the agent sends OTLP to the monitoring host: give the app servers' appSecurityGroupId, or list their network in host.telemetrySourceCidrs",
        });
    }),
  );
  if (config.alerting.receivers.some((r) => r.email) && !config.alerting.smtp)
    ctx.addIssue({
      code: 'custom',
      path: ['alerting', 'smtp'],
      input: undefined,
      message: 'an e-mail receiver needs alerting.smtp (smarthost and from)',
    });
  config.alerting.receivers.forEach((receiver, r) => {
    if (!receiver.webhookUrlParameter === !receiver.email)
      ctx.addIssue({
        code: 'custom',
        path: ['alerting', 'receivers', r],
        input: receiver,
        message: 'a receiver takes exactly one of webhookUrlParameter or email',
      });
  });
  checkDistributed(config, ctx);
  if (config.host.artifactMirror && !config.host.artifactMirror.s3Bucket === !config.host.artifactMirror.httpsBaseUrl)
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'artifactMirror'],
      input: config.host.artifactMirror,
      message: 'a mirror takes exactly one of s3Bucket or httpsBaseUrl',
    });
});

/** The validated platform description with every default filled. */
export type PlatformConfig = z.output<typeof platformSchema>;
export type ServiceConfig = PlatformConfig['services'][number];
export type EnvironmentConfig = ServiceConfig['environments'][number];
export type SloConfig = ServiceConfig['slos'][number];
export type DoraConfig = NonNullable<PlatformConfig['dora']>;
export type AlertThresholds = PlatformConfig['alerting']['thresholds'];
export type AgentConfig = NonNullable<EnvironmentConfig['agent']>;

type DistributedInput = z.output<typeof distributed>;

/** Combinations of `scale` and `distributed` that make no sense, each with its fix. */
function checkDistributed(
  config: { scale: 'single' | 'distributed'; distributed?: DistributedInput },
  ctx: z.RefinementCtx,
): void {
  const block = config.distributed;
  if (!block) return;
  if (config.scale !== 'distributed') {
    ctx.addIssue({
      code: 'custom',
      path: ['distributed'],
      input: block,
      message: 'a distributed block only applies with scale: distributed; set scale: distributed, or remove distributed to stay on one host',
    });
    return;
  }
  const store = block.metricsStore;
  if ('remoteWriteUrl' in store) {
    const at = ['distributed', 'metricsStore'];
    if (!store.basicAuthUsername !== !store.basicAuthPasswordParameter)
      ctx.addIssue({
        code: 'custom',
        path: [...at, store.basicAuthUsername ? 'basicAuthPasswordParameter' : 'basicAuthUsername'],
        input: undefined,
        message: 'basic auth takes both basicAuthUsername and basicAuthPasswordParameter',
      });
    if (store.queryUrl && (store.basicAuthPasswordParameter || store.bearerTokenParameter))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'queryUrl'],
        input: store.queryUrl,
        message:
          "Grafana's data source cannot read with a secret without keeping it in Terraform state; drop queryUrl (Grafana keeps reading the local Prometheus) or give the URL of a query path that needs no credentials from the host (e.g. behind a network boundary)",
      });
    if (store.bearerTokenParameter && store.basicAuthPasswordParameter)
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'bearerTokenParameter'],
        input: store.bearerTokenParameter,
        message: 'a remote-write store takes either basic auth or a bearer token, not both',
      });
  }
  const nodes = block.ingest?.nodes;
  if (nodes) {
    const desired = nodes.desired ?? nodes.min;
    if (nodes.min > nodes.max)
      ctx.addIssue({ code: 'custom', path: ['distributed', 'ingest', 'nodes', 'min'], input: nodes.min, message: `expected min at most max (${nodes.max})` });
    else if (desired < nodes.min || desired > nodes.max)
      ctx.addIssue({
        code: 'custom',
        path: ['distributed', 'ingest', 'nodes', 'desired'],
        input: desired,
        message: `expected desired between min (${nodes.min}) and max (${nodes.max})`,
      });
  }
}

export type DistributedConfig = z.output<typeof distributed>;
export type MetricsStoreConfig = DistributedConfig['metricsStore'];
export type IngestConfig = NonNullable<DistributedConfig['ingest']>;
