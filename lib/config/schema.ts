import { z } from 'zod';
import { isCidr, isPrivateCidr, isWorldOpen, PRIVATE_CIDRS } from '../cidr';
import { PORTS } from '../contracts/ports';
import { MAX_OTLP_ENVIRONMENTS } from '../telemetry/otlp-sources';
import { formatPath } from './errors';
import { RULE_DURATION, ruleDurationSeconds } from '../shared/durations';
import { platformAlertNames } from '../alerting/alert-names';
import { CONFIG_SYNC_SCHEDULE, CONFIG_SYNC_STALE_AFTER_SECONDS } from '../contracts/config-sync';
import { Token } from '../framework';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { PromQLValidationError, validatePromQL } from '../promql/validate';
import { promqlProblems } from '../promql/validate';
import { SLI_WINDOW_PLACEHOLDER } from '../slo/sli';
import { METRIC_CONVENTIONS, isScrapedConvention, serviceConvention, type MetricConventionName } from '../slo/conventions';

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

const name = (what: string, maxLength = 32, why = '') => {
  const allowed = `expected ${what}: lowercase letters, digits and dashes, 2-${maxLength} characters, starting with a letter${why}`;
  return z.string({ error: allowed }).regex(new RegExp(`^[a-z][a-z0-9-]{0,${maxLength - 2}}[a-z0-9]$`), allowed);
};

/**
 * The longest AWS name prefix built from the platform name is the host role's and instance profile's
 * `<name>-monitoring-`; IAM allows a name_prefix of at most 38 characters (a role name is at most 64, and
 * Terraform appends 26), so the name has at most 26. Bucket prefixes (`<name>-config-`, at most 37) fit too.
 */
export const MAX_PLATFORM_NAME = 26;

/** `30d`, `4w`, `12h`: a Prometheus-compatible duration with one unit. */
export const DURATION = /^([1-9][0-9]*)(m|h|d|w)$/;
const UNIT_SECONDS: Record<string, number> = { m: 60, h: 3600, d: 86400, w: 604800 };

/** A Prometheus duration of whole minutes, units largest first: `30d`, `2d19h12m` (burn windows scaled to a period). */
const COMPOUND_DURATION = /^(?=\d)(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** Seconds in a duration the schema accepted (`30d` → 2592000), or in one formatDuration wrote (`1h24m` → 5040). */
export function durationSeconds(duration: string): number {
  const match = COMPOUND_DURATION.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  return match.slice(1).reduce((total, count, i) => total + Number(count ?? 0) * UNIT_SECONDS['wdhm'[i]], 0);
}

/** A whole number of minutes as a Prometheus duration, days, hours and minutes: 241920 → `2d19h12m`. */
export function formatDuration(seconds: number): string {
  if (!(Number.isInteger(seconds / 60) && seconds > 0)) throw new Error(`not a positive whole number of minutes: ${seconds}s`);
  const parts: string[] = [];
  let rest = seconds;
  for (const unit of ['d', 'h', 'm']) {
    const count = Math.floor(rest / UNIT_SECONDS[unit]);
    rest -= count * UNIT_SECONDS[unit];
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.join('');
}

const duration = (allowed: string, minSeconds: number, maxSeconds: number) =>
  z.string({ error: allowed }).refine((value) => DURATION.test(value) && durationSeconds(value) >= minSeconds && durationSeconds(value) <= maxSeconds, allowed);

/** An alerting rule's `for:`, one unit: `5m`, `30s`, `1h`, or `0s` (fires at once). Parsed by ruleDurationSeconds. */
const HOLD_DURATION_ALLOWED = 'expected a duration such as 5m, 30s, 1h or 0s: a whole number and one unit of s, m, h, d';
const holdDuration = z.string({ error: HOLD_DURATION_ALLOWED }).regex(RULE_DURATION, HOLD_DURATION_ALLOWED);

const cidr = z
  .string({ error: 'expected a CIDR block such as 10.0.0.0/16' })
  .refine(isCidr, 'expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)');

/**
 * An AWS resource id. A literal is checked against the id's format; a CDKTF token (the id of a resource built in
 * the same app, e.g. `vpc.id`) is taken as it is, since its value exists only at apply time.
 */
const awsId = (kind: string, prefix: string) => {
  const pattern = new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);
  const allowed = `expected a ${kind} id such as ${prefix}-0123456789abcdef0, or a CDKTF token`;
  return z
    .string({ error: allowed })
    .refine((value) => Token.isUnresolved(value) || pattern.test(value), allowed)
    .meta({ pattern: pattern.source });
};

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

/** A block that opens to the internet at large, judged by coverage (`0.0.0.0/1` counts; lib/cidr.ts). */
export function isWorldCidr(value: string): boolean {
  return isWorldOpen([value]);
}

/**
 * Free text that reaches Terraform JSON is escaped (lib/terraform-text.ts) except CDKTF's own token markers,
 * which must stay live for references inside our strings: a literal marker in config would become a reference
 * to whatever resource that token number resolves to.
 */
const TOKEN_MARKER = /\$\{TfToken\[/;

/** The keys whose values are AWS ids (`awsId`), where a CDKTF token is the point: `vpc.id` from the same app. */
const TOKEN_ACCEPTING_KEYS: ReadonlySet<string> = new Set(['appSecurityGroupId', 'subnetId', 'vpcId', 'subnetIds']);

const acceptsToken = (path: (string | number)[]) => {
  const key = [...path].reverse().find((part): part is string => typeof part === 'string');
  return key !== undefined && TOKEN_ACCEPTING_KEYS.has(key);
};

/** Every string in a parsed description, with its path. */
function stringsIn(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsIn(item, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsIn(item, [...path, key]));
  return [];
}

/** Directories the app-server agent may tail logs from: application logs, never system credentials or config. */
export const AGENT_LOG_DIRECTORIES: readonly string[] = ['/var/log/', '/opt/', '/srv/'];

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
        z
          .string({ error: 'expected a tag value' })
          .regex(AGENT_TAG_VALUE, 'expected a tag value of letters, digits and _ . : / + = @ - (no wildcards, spaces or commas), 1-255 characters'),
        { error: 'expected a map of EC2 tags, e.g. { Role: anvila-api, Env: production }' },
      )
      .superRefine((tags, ctx) => {
        const keys = Object.keys(tags);
        if (keys.length < 1 || keys.length > AGENT_MAX_TAGS) ctx.addIssue({ code: 'custom', input: tags, message: `expected 1 to ${AGENT_MAX_TAGS} tags` });
        for (const key of keys)
          if (!AGENT_TAG_KEY.test(key))
            ctx.addIssue({
              code: 'custom',
              path: [key],
              input: key,
              message: 'expected a tag key of letters, digits and _ . : / - starting with a letter, and not aws: (reserved)',
            });
      }),
  }),
  /** Which logs the agent's collector reads. @default { journald: [], files: [] } */
  logs: strict({
    /** systemd units whose journal the collector reads, e.g. `[anvila-api.service]`. @default [] */
    journald: z.array(z.string().regex(/^[A-Za-z0-9@._:-]{1,255}$/, 'expected a systemd unit name such as anvila-api.service')).default([]),
    /** Absolute paths or globs of log files the collector tails, e.g. `[/var/log/anvila/*.log]`. @default [] */
    files: z
      .array(
        z
          .string()
          .regex(/^\/[^\s'"`$\\]*$/, 'expected an absolute path or glob such as /var/log/anvila/*.log (no spaces or quotes)')
          .refine(
            // A relative path is reported by the pattern above.
            (path) =>
              !path.startsWith('/') ||
              (AGENT_LOG_DIRECTORIES.some((dir) => path.startsWith(dir) && path.length > dir.length) && !/(^|\/)\.\.?(\/|$)|\/\//.test(path)),
            `expected a log file path or glob under ${AGENT_LOG_DIRECTORIES.join(', ')} (no . or .. segments): the agent ships what it reads to the monitoring host`,
          ),
      )
      .default([]),
  }).prefault({}),
  /**
   * Security group of the app servers. With it, the agent construct opens OTLP gRPC from it on the monitoring
   * host and Node Exporter from the monitoring host on it. Without it, OTLP arrives through
   * `host.telemetrySourceCidrs`, and the app servers' own group must admit the monitoring host on 9100.
   */
  appSecurityGroupId: awsId('security group', 'sg').optional(),
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
  metricsPath: z
    .string()
    .regex(/^\/\S*$/, 'expected an absolute URL path such as /metrics')
    .default('/metrics'),
  /**
   * Scrape `metricsTarget` over HTTPS instead of plain HTTP. Certificates and the key are SSM parameters (PEM),
   * read by the host at boot and handed to Prometheus as systemd credentials. @default plain HTTP
   */
  metricsTls: strict({
    /** SSM parameter holding the PEM CA bundle that signed the app's certificate. @default the host's system CAs */
    caParameter: ssmParameterName.optional(),
    /** Name the app's certificate must carry. @default the host part of `metricsTarget` */
    serverName: z
      .string({ error: 'expected a DNS name such as api.internal.example' })
      .regex(
        /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
        'expected a DNS name such as api.internal.example',
      )
      .optional(),
    /** SSM parameter holding the PEM client certificate, for apps that require mutual TLS (with `clientKeyParameter`). */
    clientCertificateParameter: ssmParameterName.optional(),
    /** SSM SecureString holding the PEM private key of the client certificate. */
    clientKeyParameter: ssmParameterName.optional(),
  })
    .refine((tls) => (tls.clientCertificateParameter === undefined) === (tls.clientKeyParameter === undefined), {
      message: 'expected clientCertificateParameter and clientKeyParameter together (a client certificate needs its key), or neither',
      path: ['clientKeyParameter'],
    })
    .optional(),
  /** Install the telemetry agent on this environment's app servers, selected by EC2 tags. @default no agent */
  agent: agent.optional(),
});

/** A Prometheus metric name. */
export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const metricName = (what: string) =>
  z
    .string({ error: `expected the name of ${what}, e.g. rpc_server_duration_seconds` })
    .regex(METRIC_NAME, `expected the name of ${what}: letters, digits, _ and :, not starting with a digit`);

/** One label matcher, `route!="/health"`: a label name, an operator and a double-quoted value. */
const LABEL_MATCHER = String.raw`\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(?:=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*`;
const LABEL_MATCHERS = new RegExp(`^${LABEL_MATCHER}(?:,${LABEL_MATCHER})*$`);

/**
 * Extra label matchers a user-named metric is selected with, besides `service` (which synth adds):
 * `route!="/health",method="GET"`. A list of matchers and nothing else, so it cannot close the selector.
 */
const extraMatchers = z.string({ error: 'expected label matchers such as route!="/health",method="GET"' }).superRefine((value, ctx) => {
  const problems = promqlProblems(`m{${value}}`);
  if (!LABEL_MATCHERS.test(value) || problems.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `expected label matchers such as route!="/health",method="GET": label op "value", separated by commas${problems.length ? ` (PromQL: ${problems.join('; ')})` : ''}`,
    });
  else if (/(^|,)\s*service\s*[=!]/.test(value))
    ctx.addIssue({ code: 'custom', message: "expected matchers on labels other than service: synth selects the service's own series already" });
});

/** A PromQL query over a `{{window}}` range, checked by the PromQL grammar with the placeholder filled. */
const windowedQuery = z.string({ error: `expected a PromQL query with ${SLI_WINDOW_PLACEHOLDER} as its range` }).superRefine((value, ctx) => {
  if (!value.includes(SLI_WINDOW_PLACEHOLDER)) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a PromQL query with ${SLI_WINDOW_PLACEHOLDER} as its range, e.g. rate(rpc_requests_total{code="error"}[${SLI_WINDOW_PLACEHOLDER}])`,
    });
    return;
  }
  const problems = promqlProblems(value.split(SLI_WINDOW_PLACEHOLDER).join('5m'));
  if (problems.length > 0)
    ctx.addIssue({ code: 'custom', message: `expected a valid PromQL query (with ${SLI_WINDOW_PLACEHOLDER} as 5m: ${problems.join('; ')})` });
});

const latencySli = strict({
  latency: strict({
    /**
     * Requests at or under this many seconds are good. A classic histogram's threshold must be one of its
     * bucket boundaries (`buckets`, or the service's `latencyBuckets` for the built-in histogram); a native one's
     * may be any number.
     */
    threshold: z.number({ error: 'expected a number of seconds, e.g. 0.5' }).positive('expected a positive number of seconds, e.g. 0.5'),
    /** Base name of the histogram (without `_bucket`). @default the service's convention: http_request_duration_seconds */
    metric: metricName('a histogram').optional(),
    /** The histogram is a Prometheus native histogram: the SLI reads it with histogram_fraction. @default false */
    native: z.boolean().default(false),
    /** Bucket boundaries of a classic `metric`. @default the service's latencyBuckets (built-in histogram only) */
    buckets: z.array(z.number().positive('expected positive bucket boundaries in seconds')).min(1).optional(),
    /** Extra label matchers besides `service`, e.g. `route!="/health"`. @default none */
    matchers: extraMatchers.optional(),
  }),
});

/**
 * Any ratio of two queries (sloth's events SLI, pyrra's ratio indicator): bad events (`errors`) or good events
 * (`good`) over `total`. Each query keeps the `service` and `environment` labels (they are summed by those).
 */
const ratioSli = strict({
  ratio: strict({
    /** Rate of bad events, e.g. `rate(rpc_requests_total{service="billing",code="error"}[{{window}}])`. */
    errors: windowedQuery.optional(),
    /** Rate of good events; give either errors or good. */
    good: windowedQuery.optional(),
    /** Rate of all events, e.g. `rate(rpc_requests_total{service="billing"}[{{window}}])`. */
    total: windowedQuery,
  }),
});

/** A gauge that is 1 when good and 0 when bad (pyrra's bool-gauge indicator), for probes other than the Blackbox exporter. */
const boolGaugeSli = strict({
  boolGauge: strict({
    metric: metricName('a 0/1 gauge'),
    /** Extra label matchers besides `service`. @default none */
    matchers: extraMatchers.optional(),
  }),
});

const sli = z.union([z.literal('probe'), z.literal('errors'), latencySli, ratioSli, boolGaugeSli], {
  error:
    'expected one of: probe, errors, { latency: { threshold: <seconds>, metric?, native?, buckets?, matchers? } }, { ratio: { errors | good: <PromQL>, total: <PromQL> } } or { boolGauge: { metric, matchers? } }',
});

/** Labels synth sets itself on alerts (or Prometheus does); user labels may not override them. */
export const RESERVED_ALERT_LABELS = ['alertname', 'severity', 'service', 'environment', 'slo', 'sli', 'team', 'budget_policy', 'instance', 'job'] as const;

/** Extra labels for routing (e.g. `{ tier: gold, pagerduty: checkout }`), put on every alert of their scope. */
const alertLabels = z
  .record(
    z
      .string()
      .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a label name: letters, digits and _, not starting with a digit')
      .refine(
        (key) => !(RESERVED_ALERT_LABELS as readonly string[]).includes(key) && !key.startsWith('__'),
        `expected a label name other than ${RESERVED_ALERT_LABELS.join(', ')} (synth sets those) and not starting with __`,
      ),
    z.string({ error: 'expected a label value (a string)' }).min(1, 'expected a non-empty label value'),
    { error: 'expected a mapping of label names to values, e.g. { tier: gold }' },
  )
  .default({});

const alertSeverity = z.enum(['critical', 'warning'], { error: 'expected critical (pages) or warning (opens a ticket)' });

/**
 * An error budget policy (docs/error-budget-policy.md): what the team does while little of an SLO's budget is
 * left. It surfaces as the info alert SLOErrorBudgetPolicy (routed to the warning channel, with its runbook) and
 * as an annotation on the SLO and DORA dashboards, so a freeze shows next to the deploys it holds.
 */
const budgetPolicy = strict({
  /** The policy applies while less than this share of the window's error budget is left, in percent. */
  remainingBelowPercent: z
    .number({ error: 'expected a percentage of the budget left strictly between 0 and 100, e.g. 25' })
    .gt(0, 'expected a percentage of the budget left strictly between 0 and 100, e.g. 25')
    .lt(100, 'expected a percentage of the budget left strictly between 0 and 100, e.g. 25'),
  /** What the policy asks for, shown in the alert (its `budget_policy` label) and the annotation. @default freeze deploys except fixes for this SLO */
  action: z
    .string({ error: 'expected what the policy asks for, e.g. freeze feature deploys' })
    .min(1, 'expected what the policy asks for, e.g. freeze feature deploys')
    .default('freeze deploys except fixes for this SLO'),
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
  /** Severity of each burn-rate tier's alert. @default { fast: critical, slow: warning } */
  severities: strict({ fast: alertSeverity.default('critical'), slow: alertSeverity.default('warning') }).prefault({}),
  /** Labels on this SLO's alerts, over the service's `labels`. @default {} */
  labels: alertLabels,
  /**
   * Labels that expand this one definition into one SLO per value (e.g. `[route]`: a budget and burn alerts per
   * route); the SLI's series must carry them. @default []
   */
  expandBy: z
    .array(
      z
        .string()
        .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'expected a label name: letters, digits and _, not starting with a digit')
        .refine(
          (key) => !['service', 'environment', 'slo', 'le', '__name__'].includes(key),
          'expected a label other than service, environment, slo and le (the SLO is already split by service and environment)',
        ),
    )
    .default([]),
  /**
   * Low-traffic guard: burn alerts hold while fewer events per second than this arrive over the tier's long
   * window (a handful of failures in a quiet hour is noise, not a burn). Event-based SLIs only. @default no guard
   */
  minEventRate: z.number({ error: 'expected events per second, e.g. 0.1' }).positive('expected a positive number of events per second, e.g. 0.1').optional(),
  /** This SLO's error budget policy, over the service's. @default the service's budgetPolicy, else none */
  budgetPolicy: budgetPolicy.optional(),
});

const conventionNames = Object.keys(METRIC_CONVENTIONS) as [MetricConventionName, ...MetricConventionName[]];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The names a service's app uses for requests, their status and duration, spelled out. */
const explicitConvention = strict({
  /** Counter of answered requests, with the status label (or a duration histogram's `_count`). */
  requests: metricName('a request counter'),
  /** Label of `requests` holding the numeric HTTP status code. */
  statusLabel: z
    .string({ error: 'expected a label name such as code' })
    .regex(LABEL_NAME, 'expected a label name such as code: letters, digits and _, not starting with a digit'),
  /** Base name of the classic duration histogram, in seconds. */
  durationHistogram: metricName('a histogram'),
  /** Gauge of requests in flight. @default none: the dashboard's saturation panels stay empty */
  inProgress: metricName('a gauge').optional(),
  /** Matchers besides `service` that select the app's series, e.g. `job="app"` when they are scraped. @default none */
  matchers: extraMatchers.optional(),
});

const metricConvention = z.union([z.enum(conventionNames), explicitConvention], {
  error: `expected one of: ${conventionNames.join(', ')}, or { requests, statusLabel, durationHistogram, inProgress?, matchers? }`,
});

const service = strict({
  name: name('a service name'),
  /** Owning team: the `team` label of every alert about this service (its SLO, probe and app alerts), for routing. */
  team: z.string().min(1, 'expected a team name').optional(),
  /** Labels on every alert about this service (its SLO, probe and app alerts), for routing. @default {} */
  labels: alertLabels,
  environments: z.array(environment, { error: 'expected a list of environments' }).min(1, 'expected at least one environment'),
  slos: z.array(slo, { error: 'expected a list of SLOs' }).default([]),
  /** Error budget policy of every SLO of this service that sets none of its own. @default none */
  budgetPolicy: budgetPolicy.optional(),
  /**
   * Which metric names the app speaks: `prometheus-client` (http_requests_total, scraped from metricsTarget),
   * `opentelemetry` (HTTP semantic conventions, pushed by OTLP), or the names spelled out. The errors and
   * latency SLIs, App5xxRatioHigh and the service dashboard read them. @default prometheus-client
   */
  metricConvention: metricConvention.default('prometheus-client'),
  /** Boundaries of the convention's duration histogram that the app exposes. @default client-library defaults */
  latencyBuckets: z.array(z.number().positive('expected positive bucket boundaries in seconds')).min(1).default(DEFAULT_LATENCY_BUCKETS),
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
  s3Bucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
    .optional(),
  /** Download every artifact from `<httpsBaseUrl>/<file>`. */
  httpsBaseUrl: httpUrl('the mirror base URL')
    .refine((v) => v.startsWith('https://'), 'expected an https:// URL')
    .optional(),
  /** Key prefix inside the mirror: S3 key segments of letters, digits and `_ . -`, separated by `/`. @default lgtm-artifacts */
  prefix: z
    .string({ error: 'expected a key prefix such as lgtm-artifacts' })
    .regex(
      /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9_.-]{1,128}(\/[A-Za-z0-9_.-]{1,128}){0,15}$/,
      'expected a key prefix of segments made of letters, digits and _ . - separated by / (no leading or trailing /, no . or .. segments), e.g. lgtm-artifacts or mirrors/lgtm',
    )
    .default('lgtm-artifacts'),
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
  instanceType: z
    .string({ error: 'expected an EC2 instance type such as t3.large' })
    .regex(INSTANCE_TYPE, 'expected an EC2 instance type such as t3.large or m7g.xlarge')
    .default('t3.large'),
  /** Who may open Grafana (port `grafanaPort`). Nothing else on the host is public. Blocks that cover the internet (a /8 of public IPv4 or a /32 of IPv6, alone or together: `0.0.0.0/0`, `0.0.0.0/1`, ...) only with `allowPublicGrafana`. */
  grafanaAllowedCidrs: z.array(cidr, { error: 'expected a list of CIDR blocks' }).min(1, 'expected at least one CIDR block'),
  /** App servers' private networks that push logs, traces and metrics (OTLP 4317/4318 to the host's collector); public ones only with `allowPublicTelemetrySources`. @default [] */
  telemetrySourceCidrs: z.array(cidr, { error: 'expected a list of CIDR blocks' }).default([]),
  /** Size of the encrypted data volume holding metrics, logs and traces. @default 50 */
  dataVolumeGiB: z
    .number({ error: 'expected a whole number of GiB between 10 and 16384' })
    .int('expected a whole number of GiB between 10 and 16384')
    .min(10, 'expected a whole number of GiB between 10 and 16384')
    .max(16384, 'expected a whole number of GiB between 10 and 16384')
    .default(50),
  /** Size of the encrypted root volume. @default 20 */
  rootVolumeGiB: z.number().int().min(8, 'expected at least 8 GiB').max(1024).default(20),
  /** Port Grafana listens on. @default 3000 */
  grafanaPort: z.number().int().min(1024, 'expected an unprivileged port 1024-65535').max(65535).default(3000),
  /** Subnet to launch in (an id, or the token of a subnet built in the same app); the default VPC's subnet in `availabilityZone` when absent, which synth prints. */
  subnetId: awsId('subnet', 'subnet').optional(),
  /** VPC of the host's security group (an id or a token); needs `subnetId` in it. @default the VPC of `subnetId` */
  vpcId: awsId('VPC', 'vpc').optional(),
  /** Availability zone of host and data volume when no subnet is given. @default <region>a */
  availabilityZone: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$/, 'expected an availability zone such as us-east-1a')
    .optional(),
  /**
   * Customer-managed KMS key the SSM SecureStrings of this config are encrypted with: the host may decrypt with
   * that key only. @default a key the platform creates (alias/<name>-secrets, rotation on), which only the host and
   * ingest roles may decrypt with (other roles of the account: the OTLP token only)
   */
  secretsKmsKeyArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, 'expected a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid>')
    .optional(),
  /**
   * Prefix of the SSM SecureStrings holding each environment's OTLP bearer token(s), `<prefix>/<environment>`:
   * what that environment's senders (app-server agents, your own senders) present to its own receiver, whose
   * telemetry is labelled with that environment only. One token per line, so tokens can be rotated one at a time.
   * @default /<name>/otlp-token
   */
  otlpTokenParameter: ssmParameterName.optional(),
  /** Grafana admin password, read at boot; the Grafana stack logs in with it unless `grafana.authParameter` is set. @default /<name>/grafana-admin-password */
  grafanaAdminPasswordParameter: ssmParameterName.optional(),
  /** Serve Grafana over HTTPS with your certificate, read at boot from SSM (SecureString, PEM). @default plain HTTP */
  grafanaTls: strict({
    /** The certificate chain, PEM (an advanced-tier parameter holds up to 8 KB). */
    certificateParameter: ssmParameterName,
    /** The certificate's private key, PEM. */
    privateKeyParameter: ssmParameterName,
    /** The host name the certificate is for; Grafana's URL uses it. @default the Elastic IP's address */
    domain: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a DNS name such as grafana.example.com')
      .optional(),
  }).optional(),
  /**
   * Grafana over HTTPS with a certificate AWS issues and renews: an ACM certificate for `domain`, validated by a DNS
   * record in the Route 53 hosted zone, on a TLS load balancer (port 443) in front of Grafana, and the domain's alias
   * record in that zone. Instead of `grafanaTls`. @default none
   */
  grafanaCertificate: strict({
    /** The host name users open, e.g. grafana.example.com; it must be in the zone. */
    domain: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a DNS name such as grafana.example.com'),
    /** The Route 53 hosted zone id that holds `domain` (the stack writes its validation and alias records there). */
    route53ZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, 'expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  }).optional(),
  retention: retention.prefault({}),
  /** Where the host downloads programs from, for hosts without internet egress. @default publishers' release URLs */
  artifactMirror: artifactMirror.optional(),
  /** AWS endpoints the host calls instead of the regional ones (VPC endpoints, FIPS). @default the regional endpoints */
  awsEndpoints: awsEndpoints.optional(),
  /** Per-artifact SHA-256 pins (`prometheus-x86_64: <hex>`), checked instead of the publisher's checksum file. */
  artifactChecksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 checksum: 64 lowercase hex digits')).default({}),
  /** Explicit opt-in to blocks covering the internet in `grafanaAllowedCidrs`: Grafana reachable from the whole internet. @default false */
  allowPublicGrafana: z.boolean({ error: 'expected true or false' }).default(false),
  /** Explicit opt-in to public (non-private) networks in `telemetrySourceCidrs`, e.g. app servers with public addresses only; the internet at large is refused even then. @default false */
  allowPublicTelemetrySources: z.boolean({ error: 'expected true or false' }).default(false),
  /** One-minute CloudWatch metrics for the host (EC2 detailed monitoring, billed by AWS). @default true */
  detailedMonitoring: z.boolean({ error: 'expected true or false' }).default(true),
  /** EC2 termination protection on the monitoring host; turn off before `cdktf destroy`. @default true */
  disableApiTermination: z.boolean({ error: 'expected true or false' }).default(true),
  /**
   * IAM roles or users (ARNs; `*` wildcards allowed) that may write the config bucket, e.g. the CI deploy role.
   * Everyone else is denied: a write there is root on the host. @default the principal that deploys the stack
   */
  configWriterArns: z
    .array(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_\-/*]+$/,
          'expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/deploy',
        ),
      { error: 'expected a list of IAM role or user ARNs' },
    )
    .min(1, 'expected at least one writer ARN')
    .optional(),
  /**
   * When `lgtm-sync.timer` pulls the config bucket. Every run reads the bucket and SSM, so shorter intervals cost
   * requests; at most a third of ConfigSyncStale's threshold (15 minutes, the run timeout), so a few missed runs
   * never look like a stopped sync. @default { firstRunAfterSeconds: 120, intervalSeconds: 60 }
   */
  configSync: strict({
    /** First run after boot (`OnBootSec`), 10-900 seconds. @default 120 */
    firstRunAfterSeconds: z
      .number({ error: 'expected a whole number of seconds between 10 and 900' })
      .int('expected a whole number of seconds between 10 and 900')
      .min(10, 'expected a whole number of seconds between 10 and 900')
      .max(900, 'expected a whole number of seconds between 10 and 900')
      .default(CONFIG_SYNC_SCHEDULE.bootDelaySeconds),
    /** Gap between the end of one run and the start of the next (`OnUnitInactiveSec`), 10-300 seconds. @default 60 */
    intervalSeconds: z
      .number({ error: 'expected a whole number of seconds between 10 and 300' })
      .int('expected a whole number of seconds between 10 and 300')
      .min(10, 'expected a whole number of seconds between 10 and 300')
      .max(CONFIG_SYNC_STALE_AFTER_SECONDS / 3, 'expected a whole number of seconds between 10 and 300')
      .default(CONFIG_SYNC_SCHEDULE.intervalSeconds),
  }).prefault({}),
  /** Daily snapshots of the data volume kept by Data Lifecycle Manager (the oldest goes when a new one is taken). @default 7 */
  dataVolumeSnapshotRetentionDays: z
    .number({ error: 'expected a whole number of days between 1 and 1000' })
    .int('expected a whole number of days between 1 and 1000')
    .min(1, 'expected a whole number of days between 1 and 1000')
    .max(1000, 'expected a whole number of days between 1 and 1000')
    .default(7),
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
  email: z
    .string()
    .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'expected an e-mail address such as oncall@example.com')
    .optional(),
});

/** A warning threshold and the stricter critical one above it must stay in that order. */
const TIERED_THRESHOLDS = [
  ['cpuPercent', 'cpuCriticalPercent'],
  ['memoryPercent', 'memoryCriticalPercent'],
  ['diskPercent', 'diskCriticalPercent'],
  ['fileDescriptorPercent', 'fileDescriptorCriticalPercent'],
] as const;

const thresholds = strict({
  /** CPU busy (all cores) above which HostHighCpu opens a ticket. @default 80 */
  cpuPercent: z.number().gt(0).lte(100).default(80),
  /** CPU busy above which HostHighCpuCritical pages. @default 90 */
  cpuCriticalPercent: z.number().gt(0).lte(100).default(90),
  /** Memory in use above which HostHighMemory opens a ticket. @default 80 */
  memoryPercent: z.number().gt(0).lte(100).default(80),
  /** Memory in use above which HostHighMemoryCritical pages. @default 90 */
  memoryCriticalPercent: z.number().gt(0).lte(100).default(90),
  /** Space used on a read-write filesystem above which HostDiskAlmostFull opens a ticket. @default 80 */
  diskPercent: z.number().gt(0).lte(100).default(80),
  /** Space used above which HostDiskAlmostFullCritical pages. @default 90 */
  diskCriticalPercent: z.number().gt(0).lte(100).default(90),
  /** HostDiskFillingUp: the disk is predicted to fill within this many hours. @default 24 */
  diskFullWithinHours: z.number().positive().default(24),
  /** The fill prediction only watches filesystems with less free space than this, so a burst on a mostly empty disk stays quiet. @default 40 */
  diskFillingFreePercent: z.number().gt(0).lte(100).default(40),
  /** HostDiskFillingUpCritical: predicted to fill within this many hours... @default 4 */
  diskFullCriticalWithinHours: z.number().positive().default(4),
  /** ...while less than this share is free. @default 20 */
  diskFillingCriticalFreePercent: z.number().gt(0).lte(100).default(20),
  /** Load average (1 minute) per core above which HostLoadHigh opens a ticket. @default 2 */
  loadPerCore: z.number().positive().default(2),
  /** Average I/O queue length of a disk (iostat's aqu-sz) above which HostDiskIoSaturated opens a ticket. @default 10 */
  diskIoQueueLength: z.number().positive().default(10),
  /** Share of the kernel's file descriptors allocated above which HostFileDescriptorsNearLimit opens a ticket. @default 70 */
  fileDescriptorPercent: z.number().gt(0).lte(100).default(70),
  /** ...and above which HostFileDescriptorsNearLimitCritical pages. @default 90 */
  fileDescriptorCriticalPercent: z.number().gt(0).lte(100).default(90),
  /**
   * Series one environment may hold in Prometheus from pushed telemetry (`lgtm_pushed="true"`) before
   * PushedSeriesOverBudget pages: a budget, not a limit (the pinned programs enforce none per source). @default 8000
   */
  pushedSeriesPerEnvironment: z.number().int().positive().default(8000),
  probeLatencySeconds: z.number().positive().default(1),
  tlsExpiryDays: z.number().positive().default(14),
  app5xxPercent: z.number().gt(0).lt(100).default(5),
  doraChangeFailureRatePercent: z.number().gt(0).lte(100).default(30),
  doraTimeToRestoreHours: z.number().positive().default(24),
}).superRefine((t, ctx) => {
  for (const [warning, critical] of TIERED_THRESHOLDS)
    if (t[critical] < t[warning])
      ctx.addIssue({
        code: 'custom',
        path: [critical],
        input: t[critical],
        message: `expected a number at least ${warning} (${t[warning]}): the critical tier pages at or above the warning tier`,
      });
  if (t.diskFillingCriticalFreePercent > t.diskFillingFreePercent)
    ctx.addIssue({
      code: 'custom',
      path: ['diskFillingCriticalFreePercent'],
      input: t.diskFillingCriticalFreePercent,
      message: `expected a number at most diskFillingFreePercent (${t.diskFillingFreePercent})`,
    });
  if (t.diskFullCriticalWithinHours > t.diskFullWithinHours)
    ctx.addIssue({
      code: 'custom',
      path: ['diskFullCriticalWithinHours'],
      input: t.diskFullCriticalWithinHours,
      message: `expected a number at most diskFullWithinHours (${t.diskFullWithinHours})`,
    });
});

/** An Alertmanager route timing, one unit (`10s`, `5m`, `12h`), within bounds its error message names. */
const routeTiming = (minSeconds: number, maxSeconds: number, bounds: string) => {
  const allowed = `expected a duration such as 30s, 5m or 4h (a whole number and one unit of s, m, h, d), ${bounds}`;
  return z
    .string({ error: allowed })
    .refine((value) => RULE_DURATION.test(value) && ruleDurationSeconds(value) >= minSeconds && ruleDurationSeconds(value) <= maxSeconds, allowed);
};

/** The timings of one Alertmanager route, each defaulting to the platform's choice for that route. */
const routeTimings = (defaults: { groupWait: string; groupInterval: string; repeatInterval: string }) =>
  strict({
    /** How long a new group of alerts waits for more of its kind before its first notification. */
    groupWait: routeTiming(0, 3600, 'from 0s to 1h').default(defaults.groupWait),
    /** How long a group waits before notifying about alerts added to it. */
    groupInterval: routeTiming(1, 86400, 'from 1s to 1d').default(defaults.groupInterval),
    /** How long before a still-firing group is notified again (at least its groupInterval). */
    repeatInterval: routeTiming(60, 30 * 86400, 'from 1m to 30d').default(defaults.repeatInterval),
  })
    .superRefine((timings, ctx) => {
      if (RULE_DURATION.test(timings.groupInterval) && RULE_DURATION.test(timings.repeatInterval))
        if (ruleDurationSeconds(timings.repeatInterval) < ruleDurationSeconds(timings.groupInterval))
          ctx.addIssue({
            code: 'custom',
            path: ['repeatInterval'],
            message: `found "${timings.repeatInterval}"; expected at least its groupInterval (${timings.groupInterval}): Alertmanager repeats only at a group interval`,
          });
    })
    .prefault({});

/**
 * When Alertmanager notifies, per route. Pages go out fast and repeat hourly; tickets are batched and repeat
 * twice a day; the root route takes unknown severities and the extra receivers.
 */
const notificationTimings = strict({
  /** Pages (`severity: critical`). @default groupWait 10s, groupInterval 1m, repeatInterval 1h */
  critical: routeTimings({ groupWait: '10s', groupInterval: '1m', repeatInterval: '1h' }),
  /** Tickets (`severity: warning` and `info`). @default groupWait 1m, groupInterval 10m, repeatInterval 12h */
  warning: routeTimings({ groupWait: '1m', groupInterval: '10m', repeatInterval: '12h' }),
  /** The root route: other severities and the extra receivers. @default groupWait 30s, groupInterval 5m, repeatInterval 4h */
  fallback: routeTimings({ groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' }),
  /** How long an alert sent without an end time stays firing after its last update. @default 5m */
  resolveTimeout: routeTiming(60, 86400, 'from 1m to 1d').default('5m'),
}).prefault({});

const alerting = strict({
  slack,
  /** Base of every alert's `runbook_url`; the runbook file name is appended. */
  runbookBaseUrl: httpUrl('the base URL of the runbooks'),
  /** Base URL of Grafana used in `dashboard_url`; the Elastic IP's address when absent. */
  grafanaBaseUrl: httpUrl('the Grafana base URL').optional(),
  thresholds: thresholds.prefault({}),
  /** When Alertmanager notifies: per route, how long it batches, regroups and repeats. */
  notificationTimings,
  /**
   * Per-alert changes to the platform's alerts, `<AlertName>: { for: 30s }` (an alert of the packs, docs/alerts.md):
   * `for` is how long its condition must hold before it fires (`0s`: at once); its description then names that
   * `for`. Your own alerts (`rules.alerts`) set `for` themselves. @default {}
   */
  alertOverrides: z
    .record(
      // Read when validating, not when this module loads: the packs import modules that import this one.
      z.string().superRefine((alert, ctx) => {
        const names = platformAlertNames();
        if (!names.includes(alert))
          ctx.addIssue({ code: 'custom', message: `expected the name of one of the platform's alerts (docs/alerts.md): ${names.join(', ')}` });
      }),
      strict({ for: holdDuration }),
    )
    .default({}),
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
  repo: z
    .string({ error: 'expected owner/name of a GitHub repository' })
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name of a GitHub repository, e.g. acme/anvila-api'),
  /** File name of the deploy workflow under .github/workflows. */
  deployWorkflow: z
    .string({ error: 'expected a workflow file name such as deploy.yml' })
    .regex(/^[A-Za-z0-9_.-]+\.ya?ml$/, 'expected a workflow file name such as deploy.yml'),
  /** Environment label of its deploys. @default production */
  environment: name('an environment name').default('production'),
  /** Branch whose runs count as deploys. @default the repository's default branch */
  branch: z.string().optional(),
  /**
   * Instead of `branch`: the ref whose runs count as deploys, `*` standing for any characters: a tag pattern
   * such as `v*` (releases by tag), `release/*`, or `*` (any ref).
   */
  deployRef: z
    .string()
    .regex(/^[A-Za-z0-9_.\/*-]+$/, 'expected a branch or tag name, `*` standing for any characters (e.g. v*, release/*)')
    .optional(),
}).refine((r) => r.branch === undefined || r.deployRef === undefined, { message: 'expected either branch or deployRef, not both', path: ['deployRef'] });

const dora = strict({
  githubTokenParameter: ssmParameterName,
  /** GitHub REST base URL (GitHub Enterprise: https://HOST/api/v3). @default https://api.github.com */
  apiUrl: httpUrl('the GitHub API base URL')
    .refine((v) => v.startsWith('https://'), 'expected an https:// URL: the GitHub token is sent with every request')
    .default('https://api.github.com'),
  /** @default 300 */
  pollIntervalSeconds: z.number().int().min(60, 'expected at least 60 seconds, to stay within the API rate limit').max(86400).default(300),
  /** Issues with this label are incidents (change failure and time to restore). @default incident */
  incidentLabel: z.string().default('incident'),
  /** Commit-message or run-title markers that mark a deploy as a rollback or hotfix of the previous one. */
  rollbackMarkers: z.array(z.string()).default(['revert', 'rollback', 'hotfix']),
  /**
   * Where time to restore starts: `deployed` (when the failed deployment reached production) or
   * `incident_opened` (incidents from their issue's opening; rollbacks and hotfixes still from the deployment).
   * @default deployed
   */
  timeToRestoreFrom: z.enum(['deployed', 'incident_opened']).default('deployed'),
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
            alias: z
              .string()
              .regex(/^[A-Za-z0-9_.-]{1,100}$/, 'expected a workspace alias: letters, digits, _ . - (up to 100)')
              .optional(),
          }),
        }),
        strict({
          /** The store's remote-write endpoint, e.g. https://mimir.example.com/api/v1/push. */
          remoteWriteUrl: httpUrl(
            'the remote-write endpoint',
            "name the credentials' SSM parameters instead (basicAuthPasswordParameter or bearerTokenParameter)",
          ),
          /** Prometheus-compatible query base URL Grafana reads from (e.g. https://mimir.example.com/prometheus). @default Grafana keeps reading the local Prometheus */
          queryUrl: httpUrl('the query base URL').optional(),
          /** Basic-auth user name (not a secret); needs `basicAuthPasswordParameter`. */
          basicAuthUsername: z.string().min(1).optional(),
          /** SSM SecureString holding the basic-auth password. */
          basicAuthPasswordParameter: ssmParameterName.optional(),
          /** SSM SecureString holding a bearer token. */
          bearerTokenParameter: ssmParameterName.optional(),
          /** Tenant header for multi-tenant stores (Mimir/Cortex `X-Scope-OrgID`). */
          tenant: z
            .string()
            .regex(/^[A-Za-z0-9_.!*'()-]{1,150}$/, 'expected a tenant id such as anvila')
            .optional(),
        }),
      ],
      { error: 'expected { amp: {} } or { remoteWriteUrl: https://..., ... } (credentials only as SSM parameter names)' },
    )
    .default({ amp: {} }),
  /** Stateless OpenTelemetry Collector nodes behind an internal Network Load Balancer for OTLP. @default none */
  ingest: strict({
    nodes: ingestNodes.prefault({}),
    /** EC2 instance type of an ingest node. @default t3.medium */
    instanceType: z
      .string({ error: 'expected an EC2 instance type such as t3.medium' })
      .regex(INSTANCE_TYPE, 'expected an EC2 instance type such as t3.medium or c7g.large')
      .default('t3.medium'),
    /** Subnets of the nodes and the load balancer (two or more availability zones recommended). @default the default VPC's default subnets */
    subnetIds: z.array(awsId('subnet', 'subnet')).min(1, 'expected at least one subnet').optional(),
  }).optional(),
  /** Days after which noncurrent object versions in the Loki/Tempo buckets are removed. @default 7 */
  noncurrentVersionDays: z.number().int().min(1, 'expected at least 1 day').max(365, 'expected at most 365 days').default(7),
});

/** A PromQL expression, parsed and type-checked by Prometheus's own grammar (lib/promql/validate.ts). */
const promql = (what: string) =>
  z
    .string({ error: `expected ${what}: a PromQL expression` })
    .min(1, `expected ${what}: a PromQL expression`)
    .superRefine((value, ctx) => {
      try {
        validatePromQL(value, what);
      } catch (error) {
        if (!(error instanceof PromQLValidationError)) throw error;
        ctx.addIssue({ code: 'custom', message: `expected ${what} that Prometheus accepts: ${error.problems.join('; ')}` });
      }
    });

const RULE_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ruleLabels = z
  .record(
    z
      .string()
      .regex(RULE_LABEL_NAME, 'expected a Prometheus label name')
      .refine((key) => !key.startsWith('__'), 'expected a label name not starting with __ (reserved)'),
    z.string(),
  )
  .default({});

/** An alert of your own, rendered into `/etc/prometheus/rules/custom.yml` beside the platform's. */
const customAlert = strict({
  /** UpperCamelCase alert name, unique among the platform's alerts and yours. */
  name: z.string().regex(/^[A-Z][A-Za-z0-9]{2,99}$/, 'expected an UpperCamelCase alert name such as CheckoutQueueBacklog'),
  /** The condition, in PromQL. */
  expr: promql('the alert expression'),
  /** How long the condition must hold before the alert fires. @default 5m */
  for: holdDuration.default('5m'),
  /** `critical` pages, `warning` opens a ticket (the same routing as the platform's alerts). */
  severity: z.enum(['critical', 'warning'], { error: 'expected critical or warning' }),
  /** One line, with label templates such as `{{ $labels.service }}`. */
  summary: z.string().min(1, 'expected a one-line summary'),
  /** What is wrong and what it means. @default the summary */
  description: z.string().optional(),
  /** Your runbook for it: every alert links one (`runbook_url`). */
  runbookUrl: httpUrl('the runbook URL'),
  /** The dashboard that shows it (`dashboard_url`). @default none */
  dashboardUrl: httpUrl('the dashboard URL').optional(),
  /** Extra labels, e.g. `{ team: payments }`; `severity` comes from `severity`. @default {} */
  labels: ruleLabels,
});

/** A recording rule of your own, named `level:metric:operations`. */
const customRecordingRule = strict({
  /** The recorded series' name, `level:metric:operations` (e.g. `service:checkout_queue_depth:sum`). */
  record: z
    .string()
    .regex(
      /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+$/,
      'expected a recording rule name level:metric:operations, e.g. service:checkout_queue_depth:sum',
    ),
  /** The expression recorded, in PromQL. */
  expr: promql('the recorded expression'),
  /** Extra labels on the recorded series. @default {} */
  labels: ruleLabels,
});

/** Extra scrape jobs: your exporters, labelled with the `service` and `environment` they belong to. */
const customScrapeJob = strict({
  /** Job name (the `job` label), unique, not one of the platform's jobs. */
  name: name('a scrape job name'),
  /** The configured service the targets belong to (their `service` label). */
  service: name('a service name'),
  /** That service's environment (their `environment` label). */
  environment: name('an environment name'),
  /** Path of the metrics endpoint. @default /metrics */
  metricsPath: z
    .string()
    .regex(/^\/[A-Za-z0-9_.\/-]*$/, 'expected an absolute path such as /metrics')
    .default('/metrics'),
  /** Fixed targets, `host:port`. Exactly one of `targets` and `ec2`. */
  targets: z
    .array(z.string().regex(/^[A-Za-z0-9.-]+:[0-9]{1,5}$/, 'expected host:port such as 10.0.1.20:9102'))
    .min(1, 'expected at least one target')
    .optional(),
  /** EC2 discovery: running instances carrying every tag, scraped at their private IP on `port`. */
  ec2: strict({
    /** Tags an instance must carry, e.g. `{ Role: checkout-worker }`. */
    tag: z.record(
      z.string().regex(AGENT_TAG_KEY, 'expected an EC2 tag key'),
      z.string().regex(AGENT_TAG_VALUE, 'expected an EC2 tag value without wildcards, commas, quotes or spaces'),
    ),
    /** Port of the exporter on each instance. */
    port: z.number().int().min(1).max(65535),
  }).optional(),
  /** Most samples one scrape may return before it fails. @default 10000 */
  sampleLimit: z.number().int().min(1).max(1_000_000).default(10000),
});

export const platformSchema = strict({
  /** Prefix of every resource and stack: lowercase, 2-32 characters. */
  name: name('a platform name', MAX_PLATFORM_NAME, ' (AWS name prefixes such as <name>-monitoring- are built from it)'),
  /** AWS region. */
  region: z.string({ error: 'expected an AWS region such as us-east-1' }).regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'expected an AWS region such as us-east-1'),
  /** Tags on every AWS resource (AWS tag rules: letters, digits, spaces, _ . : / = + - and the at sign). @default {} */
  tags: z
    .record(
      z
        .string()
        .regex(
          /^(?!aws:)[\p{L}\p{N}\p{Zs}_.:/=+\-@]{1,128}$/u,
          'expected tag keys of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:',
        ),
      z
        .string({ error: 'expected a tag value (a string)' })
        .regex(/^[\p{L}\p{N}\p{Zs}_.:/=+\-@]{0,256}$/u, 'expected a tag value of at most 256 letters, digits, spaces and _ . : / = + - @'),
    )
    .default({}),
  host,
  services: z.array(service, { error: 'expected a list of services' }).min(1, 'expected at least one service'),
  alerting,
  /** Your own alert and recording rules, validated like the platform's. @default { alerts: [], recording: [] } */
  rules: strict({
    alerts: z.array(customAlert).default([]),
    recording: z.array(customRecordingRule).default([]),
  }).prefault({}),
  /** Your own scrape jobs (static or EC2-discovered), labelled with service and environment. @default [] */
  scrapeJobs: z.array(customScrapeJob).default([]),
  dora: dora.optional(),
  /** Where both stacks keep their Terraform state. @default local state files next to the app (cdktf's default) */
  terraformState: strict({
    /** S3 bucket holding the state (versioned and encrypted, created beforehand). */
    s3Bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
    /** Key prefix: each stack's state is `<keyPrefix>/<stack>.tfstate`. @default <name> */
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'expected a key prefix such as platform/anvila')
      .optional(),
    /** Region of the state bucket. @default region */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/, 'expected an AWS region such as us-east-1')
      .optional(),
    /** DynamoDB table for state locks; without it Terraform's S3 lock file is used (Terraform 1.10 or later). */
    dynamodbTable: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, 'expected a DynamoDB table name')
      .optional(),
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
          rule: z
            .string({ error: 'expected a policy rule id such as LGTM-EC2-DETAILED-MONITORING' })
            .regex(/^LGTM-[A-Z0-9-]+$/, 'expected a policy rule id such as LGTM-EC2-DETAILED-MONITORING'),
          /** Path of exactly one resource as synth reports it, e.g. anvila-infra/host/instance. */
          resource: z
            .string({ error: 'expected the path of one resource, e.g. anvila-infra/host/instance' })
            .regex(/^[A-Za-z0-9-]+\/\S+$/, 'expected the path of one resource as synth reports it, e.g. anvila-infra/host/instance'),
          /** Why the finding is acceptable here (at least 20 characters); printed by synth. */
          reason: z
            .string({ error: 'expected a written reason' })
            .trim()
            .min(20, 'expected a written reason of at least 20 characters: why this finding is acceptable for this resource'),
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
  if (!config.host.allowPublicGrafana) {
    const open = config.host.grafanaAllowedCidrs.map((block, i) => ({ block, i })).filter(({ block }) => isWorldCidr(block));
    for (const { block, i } of open)
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'grafanaAllowedCidrs', i],
        input: block,
        message: `${block} opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true`,
      });
    if (open.length === 0 && isWorldOpen(config.host.grafanaAllowedCidrs))
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'grafanaAllowedCidrs'],
        input: config.host.grafanaAllowedCidrs,
        message:
          'together these blocks cover at least a /8 of public addresses, which opens Grafana to the internet at large: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true',
      });
  }
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
        message: 'telemetry receivers (OTLP 4317/4318) are never open to the whole internet: name the app networks, e.g. 10.0.0.0/16',
      });
    else if (isCidr(block) && !isPrivateCidr(block) && !config.host.allowPublicTelemetrySources)
      ctx.addIssue({
        code: 'custom',
        path: ['host', 'telemetrySourceCidrs', i],
        input: block,
        message: `telemetry sources are the app servers' private networks (inside ${PRIVATE_CIDRS.join(', ')}); for app servers reachable only by public addresses, opt in explicitly with host.allowPublicTelemetrySources: true`,
      });
  });
  if (!config.host.telemetrySourceCidrs.some(isWorldCidr) && isWorldOpen(config.host.telemetrySourceCidrs))
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'telemetrySourceCidrs'],
      input: config.host.telemetrySourceCidrs,
      message:
        'together these blocks cover at least a /8 of public addresses: telemetry receivers are never open to the internet at large; name the app networks, e.g. 10.0.0.0/16',
    });
  if (config.host.grafanaCertificate && config.host.grafanaTls)
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'grafanaCertificate'],
      input: config.host.grafanaCertificate,
      message:
        'host.grafanaCertificate and host.grafanaTls both give Grafana a certificate; expected one of them (grafanaCertificate: AWS issues and renews it; grafanaTls: yours, from SSM)',
    });
  const environmentNames = new Set(config.services.flatMap((service) => service.environments.map((environment) => environment.name)));
  if (environmentNames.size > MAX_OTLP_ENVIRONMENTS)
    ctx.addIssue({
      code: 'custom',
      path: ['services'],
      input: [...environmentNames],
      message: `found ${environmentNames.size} distinct environment names; each gets its own OTLP receivers (ports ${PORTS.otlpGrpc}-${PORTS.otlpGrpc + 2 * MAX_OTLP_ENVIRONMENTS - 1}), so at most ${MAX_OTLP_ENVIRONMENTS} are allowed`,
    });
  const otlpPortsTaken = Math.min(environmentNames.size, MAX_OTLP_ENVIRONMENTS) * 2;
  const otlpTaken = config.host.grafanaPort >= PORTS.otlpGrpc && config.host.grafanaPort < PORTS.otlpGrpc + otlpPortsTaken;
  const taken = otlpTaken ? ['the OTLP receivers'] : Object.entries(PORTS).find(([, port]) => port === config.host.grafanaPort);
  if (taken)
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'grafanaPort'],
      input: config.host.grafanaPort,
      message: `port ${config.host.grafanaPort} is taken by ${taken[0]} on the monitoring host; expected a free port 1024-65535 other than the OTLP receivers' ${PORTS.otlpGrpc}-${PORTS.otlpGrpc + Math.max(otlpPortsTaken, 2) - 1} and ${[
        ...new Set(Object.values(PORTS)),
      ]
        .filter((port) => port < PORTS.otlpGrpc || port >= PORTS.otlpGrpc + otlpPortsTaken)
        .sort((a, b) => a - b)
        .join(', ')}`,
    });
  for (const { path, text } of stringsIn(config))
    if (TOKEN_MARKER.test(text) && !acceptsToken(path))
      ctx.addIssue({
        code: 'custom',
        path,
        input: text,
        message: 'expected text without "${TfToken[": that is how CDKTF marks a reference, and in config it would turn into a reference to another resource',
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
    svc.slos.forEach((objective, o) => {
      const at = ['services', s, 'slos', o, 'sli'];
      const sli = objective.sli;
      if (objective.minEventRate !== undefined && (sli === 'probe' || (typeof sli === 'object' && 'boolGauge' in sli)))
        ctx.addIssue({
          code: 'custom',
          path: ['services', s, 'slos', o, 'minEventRate'],
          input: objective.minEventRate,
          message: 'a low-traffic guard counts events: probe and boolGauge SLIs take samples, so drop minEventRate here',
        });
      if (typeof sli === 'object' && 'latency' in sli) {
        const { threshold, metric, native, buckets } = sli.latency;
        const boundaries = buckets ?? (metric === undefined ? svc.latencyBuckets : undefined);
        const histogram = metric ?? serviceConvention(svc).durationHistogram;
        if (native && buckets)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'latency', 'buckets'],
            input: buckets,
            message: 'a native histogram has no fixed buckets: drop buckets, or set native: false',
          });
        else if (!native && boundaries === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'latency', 'buckets'],
            input: undefined,
            message: `a classic histogram's threshold must be a bucket boundary: list the boundaries of ${histogram} in buckets, or set native: true for a native histogram`,
          });
        else if (!native && boundaries && !boundaries.includes(threshold))
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'latency', 'threshold'],
            input: threshold,
            message: `the threshold must be a bucket boundary of ${histogram}; ${buckets ? `its boundaries (${formatPath([...at, 'latency', 'buckets'])})` : `this service's boundaries (services[${s}].latencyBuckets)`} are ${[...boundaries].sort((a, b) => a - b).join(', ')}`,
          });
      } else if (typeof sli === 'object' && 'ratio' in sli) {
        if ((sli.ratio.errors === undefined) === (sli.ratio.good === undefined))
          ctx.addIssue({ code: 'custom', path: [...at, 'ratio'], input: sli.ratio, message: 'a ratio SLI takes exactly one of errors or good, and total' });
      } else if (sli === 'errors' && isScrapedConvention(svc) && !svc.environments.some((env) => env.metricsTarget))
        ctx.addIssue({
          code: 'custom',
          path: at,
          input: sli,
          message: 'an errors SLI reads http_requests_total, so at least one environment of this service needs a metricsTarget',
        });
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
  checkCustomScrapeJobs(config, ctx);
  if (config.host.vpcId && !config.host.subnetId)
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'subnetId'],
      input: undefined,
      message: 'expected a subnet of host.vpcId when host.vpcId is set (the host is launched in it)',
    });
  if (config.host.artifactMirror && !config.host.artifactMirror.s3Bucket === !config.host.artifactMirror.httpsBaseUrl)
    ctx.addIssue({
      code: 'custom',
      path: ['host', 'artifactMirror'],
      input: config.host.artifactMirror,
      message: 'a mirror takes exactly one of s3Bucket or httpsBaseUrl',
    });
});

function checkCustomScrapeJobs(config: z.output<typeof platformSchema>, ctx: z.core.$RefinementCtx): void {
  const seen = new Set<string>();
  config.scrapeJobs.forEach((job, j) => {
    const at = (key: string) => ['scrapeJobs', j, key];
    if (seen.has(job.name)) ctx.addIssue({ code: 'custom', path: at('name'), input: job.name, message: 'expected a job name used once' });
    if ((Object.values(SCRAPE_JOBS) as string[]).includes(job.name))
      ctx.addIssue({
        code: 'custom',
        path: at('name'),
        input: job.name,
        message: `expected a job name other than the platform's own: ${Object.values(SCRAPE_JOBS).join(', ')}`,
      });
    seen.add(job.name);
    const service = config.services.find((s) => s.name === job.service);
    if (!service)
      ctx.addIssue({
        code: 'custom',
        path: at('service'),
        input: job.service,
        message: `expected one of the configured services: ${config.services.map((s) => s.name).join(', ')}`,
      });
    else if (!service.environments.some((e) => e.name === job.environment))
      ctx.addIssue({
        code: 'custom',
        path: at('environment'),
        input: job.environment,
        message: `expected an environment of ${service.name}: ${service.environments.map((e) => e.name).join(', ')}`,
      });
    if (!job.targets === !job.ec2)
      ctx.addIssue({ code: 'custom', path: ['scrapeJobs', j], input: job, message: 'a scrape job takes exactly one of targets or ec2' });
  });
}

/** The validated platform description with every default filled. */
export type PlatformConfig = z.output<typeof platformSchema>;
/**
 * The platform description as a user writes it, in YAML or in code: every key with a default is optional.
 * `validatePlatformConfig` takes it and returns the PlatformConfig.
 */
export type PlatformConfigInput = z.input<typeof platformSchema>;
export type ServiceConfig = PlatformConfig['services'][number];
export type EnvironmentConfig = ServiceConfig['environments'][number];
export type SloConfig = ServiceConfig['slos'][number];
export type DoraConfig = NonNullable<PlatformConfig['dora']>;
export type AlertThresholds = PlatformConfig['alerting']['thresholds'];
export type AgentConfig = NonNullable<EnvironmentConfig['agent']>;

type DistributedInput = z.output<typeof distributed>;

/** Combinations of `scale` and `distributed` that make no sense, each with its fix. */
function checkDistributed(config: { scale: 'single' | 'distributed'; distributed?: DistributedInput }, ctx: z.RefinementCtx): void {
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
    if ((store.basicAuthPasswordParameter || store.bearerTokenParameter) && !store.remoteWriteUrl.startsWith('https://'))
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'remoteWriteUrl'],
        input: store.remoteWriteUrl,
        message:
          'expected an https:// URL: Prometheus sends the basic-auth password or bearer token with every remote-write request, and plain HTTP shows it to the network',
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
