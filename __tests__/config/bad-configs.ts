/**
 * Bad platform descriptions, each a change to the default config, with the exact path and message a user sees.
 * `edit` mutates a deep copy of the default config's parsed YAML; `yaml` replaces the text entirely.
 */
export interface BadConfig {
  readonly what: string;
  readonly edit?: (raw: any) => void;
  readonly yaml?: string;
  readonly path: string;
  readonly message: string;
}

export const BAD_CONFIGS: BadConfig[] = [
  {
    what: 'unknown top key',
    edit: (raw) => {
      raw.regoin = 'x';
    },
    path: 'regoin',
    message:
      'regoin: found unknown key "regoin"; allowed keys here: name, region, tags, host, services, alerting, rules, scrapeJobs, dora, terraformState, scale, distributed, grafana, policy',
  },
  {
    what: 'unknown host key',
    edit: (raw) => {
      raw.host.instanceTyp = 't3.large';
    },
    path: 'host.instanceTyp',
    message:
      'host.instanceTyp: found unknown key "instanceTyp"; allowed keys here: instanceType, grafanaAllowedCidrs, telemetrySourceCidrs, dataVolumeGiB, rootVolumeGiB, grafanaPort, subnetId, vpcId, availabilityZone, secretsKmsKeyArn, otlpTokenParameter, grafanaAdminPasswordParameter, grafanaTls, grafanaCertificate, retention, artifactMirror, awsEndpoints, artifactChecksums, allowPublicGrafana, allowPublicTelemetrySources, detailedMonitoring, disableApiTermination, configWriterArns, configSync, dataVolumeSnapshotRetentionDays',
  },
  {
    what: 'secret-ish key',
    edit: (raw) => {
      raw.alerting.slack.webhookUrl = 'https://hooks.slack.com/x';
    },
    path: 'alerting.slack.webhookUrl',
    message:
      'alerting.slack.webhookUrl: found unknown key "webhookUrl"; allowed keys here: webhookUrlParameter, channels; secrets are never given as values: store it in SSM Parameter Store and name it with `webhookUrlParameter` where that key exists',
  },
  {
    what: 'missing name',
    edit: (raw) => {
      delete raw.name;
    },
    path: 'name',
    message:
      'name: found nothing; this key is required: expected a platform name: lowercase letters, digits and dashes, 2-26 characters, starting with a letter (AWS name prefixes such as <name>-monitoring- are built from it)',
  },
  {
    what: 'name uppercase',
    edit: (raw) => {
      raw.name = 'Anvila';
    },
    path: 'name',
    message:
      'name: found "Anvila"; expected a platform name: lowercase letters, digits and dashes, 2-26 characters, starting with a letter (AWS name prefixes such as <name>-monitoring- are built from it)',
  },
  {
    what: 'region bad',
    edit: (raw) => {
      raw.region = 'us-east';
    },
    path: 'region',
    message: 'region: found "us-east"; expected an AWS region such as us-east-1',
  },
  {
    what: 'objective 100',
    edit: (raw) => {
      raw.services[0].slos[1].objective = 100;
    },
    path: 'services[0].slos[1].objective',
    message: 'services[0].slos[1].objective: found number 100; expected a percentage strictly between 0 and 100, e.g. 99.5',
  },
  {
    what: 'objective 0',
    edit: (raw) => {
      raw.services[0].slos[0].objective = 0;
    },
    path: 'services[0].slos[0].objective',
    message: 'services[0].slos[0].objective: found number 0; expected a percentage strictly between 0 and 100, e.g. 99.5',
  },
  {
    what: 'objective string',
    edit: (raw) => {
      raw.services[0].slos[0].objective = '99.5%';
    },
    path: 'services[0].slos[0].objective',
    message: 'services[0].slos[0].objective: found "99.5%"; expected a percentage strictly between 0 and 100, e.g. 99.5',
  },
  {
    what: 'window bad',
    edit: (raw) => {
      raw.services[0].slos[0].window = '30 days';
    },
    path: 'services[0].slos[0].window',
    message: 'services[0].slos[0].window: found "30 days"; expected a window between 1d and 90d such as 30d or 4w',
  },
  {
    what: 'window too long',
    edit: (raw) => {
      raw.services[0].slos[0].window = '365d';
    },
    path: 'services[0].slos[0].window',
    message: 'services[0].slos[0].window: found "365d"; expected a window between 1d and 90d such as 30d or 4w',
  },
  {
    what: 'cidr bad prefix',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['10.0.0.0/33'];
    },
    path: 'host.grafanaAllowedCidrs[0]',
    message:
      'host.grafanaAllowedCidrs[0]: found "10.0.0.0/33"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)',
  },
  {
    what: 'cidr no prefix',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['10.0.0.1'];
    },
    path: 'host.telemetrySourceCidrs[0]',
    message:
      'host.telemetrySourceCidrs[0]: found "10.0.0.1"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)',
  },
  {
    what: 'cidr host bits',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['203.0.113.7/24'];
    },
    path: 'host.grafanaAllowedCidrs[0]',
    message:
      'host.grafanaAllowedCidrs[0]: found "203.0.113.7/24"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)',
  },
  {
    what: 'cidr empty list',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = [];
    },
    path: 'host.grafanaAllowedCidrs',
    message: 'host.grafanaAllowedCidrs: found a list of 0; expected at least one CIDR block',
  },
  {
    what: 'probe url bad',
    edit: (raw) => {
      raw.services[0].environments[1].probeUrl = 'api.anvila.example/health';
    },
    path: 'services[0].environments[1].probeUrl',
    message:
      'services[0].environments[1].probeUrl: found "api.anvila.example/health"; expected the URL the blackbox exporter probes: an absolute http:// or https:// URL',
  },
  {
    what: 'probe url ftp',
    edit: (raw) => {
      raw.services[0].environments[1].probeUrl = 'ftp://api.anvila.example/';
    },
    path: 'services[0].environments[1].probeUrl',
    message:
      'services[0].environments[1].probeUrl: found "ftp://api.anvila.example/"; expected the URL the blackbox exporter probes: an absolute http:// or https:// URL',
  },
  {
    what: 'dup service',
    edit: (raw) => {
      raw.services.push(JSON.parse(JSON.stringify(raw.services[0])));
    },
    path: 'services[1].name',
    message: 'services[1].name: found "anvila-api"; service names must be unique, and "anvila-api" is already used at services[0]',
  },
  {
    what: 'dup env',
    edit: (raw) => {
      raw.services[0].environments[1].name = 'staging';
    },
    path: 'services[0].environments[1].name',
    message:
      'services[0].environments[1].name: found "staging"; environment names must be unique, and "staging" is already used at services[0].environments[0]',
  },
  {
    what: 'dup slo',
    edit: (raw) => {
      raw.services[0].slos[2].name = 'availability';
    },
    path: 'services[0].slos[2].name',
    message: 'services[0].slos[2].name: found "availability"; SLO names must be unique, and "availability" is already used at services[0].slos[0]',
  },
  {
    what: 'secret value slack',
    edit: (raw) => {
      raw.alerting.slack.webhookUrlParameter = 'https://hooks.slack.com/services/T000/B000/XXXX';
    },
    path: 'alerting.slack.webhookUrlParameter',
    message:
      'alerting.slack.webhookUrlParameter: found "https://hooks.slack.com/services/T000/B000/XXXX"; this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook',
  },
  {
    what: 'secret value github',
    edit: (raw) => {
      raw.dora.githubTokenParameter = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    },
    path: 'dora.githubTokenParameter',
    message:
      'dora.githubTokenParameter: found "ghp_abcdefghijklmnopqrstuvwxyz0123456789"; this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook',
  },
  {
    what: 'param no slash',
    edit: (raw) => {
      raw.dora.githubTokenParameter = 'anvila github token';
    },
    path: 'dora.githubTokenParameter',
    message:
      'dora.githubTokenParameter: found "anvila github token"; expected the name of an SSM parameter: a path starting with "/" made of letters, digits and _ . - (e.g. /anvila/slack-webhook)',
  },
  {
    what: 'latency threshold',
    edit: (raw) => {
      raw.services[0].slos[2].sli.latency.threshold = 0.3;
    },
    path: 'services[0].slos[2].sli.latency.threshold',
    message:
      "services[0].slos[2].sli.latency.threshold: found number 0.3; the threshold must be a bucket boundary of http_request_duration_seconds; this service's boundaries (services[0].latencyBuckets) are 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10",
  },
  {
    what: 'sli unknown',
    edit: (raw) => {
      raw.services[0].slos[0].sli = 'uptime';
    },
    path: 'services[0].slos[0].sli',
    message:
      'services[0].slos[0].sli: found "uptime"; expected one of: probe, errors, { latency: { threshold: <seconds>, metric?, native?, buckets?, matchers? } }, { ratio: { errors | good: <PromQL>, total: <PromQL> } } or { boolGauge: { metric, matchers? } }',
  },
  {
    what: 'instance type',
    edit: (raw) => {
      raw.host.instanceType = 'large';
    },
    path: 'host.instanceType',
    message: 'host.instanceType: found "large"; expected an EC2 instance type such as t3.large or m7g.xlarge',
  },
  {
    what: 'data volume small',
    edit: (raw) => {
      raw.host.dataVolumeGiB = 5;
    },
    path: 'host.dataVolumeGiB',
    message: 'host.dataVolumeGiB: found number 5; expected a whole number of GiB between 10 and 16384',
  },
  {
    what: 'data volume fractional',
    edit: (raw) => {
      raw.host.dataVolumeGiB = 50.5;
    },
    path: 'host.dataVolumeGiB',
    message: 'host.dataVolumeGiB: found number 50.5; expected a whole number of GiB between 10 and 16384',
  },
  {
    what: 'no environments',
    edit: (raw) => {
      raw.services[0].environments = [];
    },
    path: 'services[0].environments',
    // Every mistake is reported at once: without environments, the errors SLI has no metrics to read either.
    message:
      'services[0].environments: found a list of 0; expected at least one environment\nconfig/platform.yaml: services[0].slos[1].sli: found "errors"; an errors SLI reads http_requests_total, so at least one environment of this service needs a metricsTarget',
  },
  {
    what: 'metricsTarget bad',
    edit: (raw) => {
      raw.services[0].environments[0].metricsTarget = 'http://10.0.1.10:8000/metrics';
    },
    path: 'services[0].environments[0].metricsTarget',
    message:
      'services[0].environments[0].metricsTarget: found "http://10.0.1.10:8000/metrics"; expected host:port of the app metrics endpoint, e.g. 10.0.1.10:8000',
  },
  {
    what: 'errors sli no metrics',
    edit: (raw) => {
      delete raw.services[0].environments[0].metricsTarget;
    },
    path: 'services[0].slos[1].sli',
    message:
      'services[0].slos[1].sli: found "errors"; an errors SLI reads http_requests_total, so at least one environment of this service needs a metricsTarget',
  },
  {
    what: 'services not list',
    edit: (raw) => {
      raw.services = { name: 'x' };
    },
    path: 'services',
    message: 'services: found a mapping; expected a list of services',
  },
  {
    what: 'repo bad',
    edit: (raw) => {
      raw.dora.repositories[0].repo = 'anvila-api';
    },
    path: 'dora.repositories[0].repo',
    message: 'dora.repositories[0].repo: found "anvila-api"; expected owner/name of a GitHub repository, e.g. acme/anvila-api',
  },
  {
    what: 'workflow bad',
    edit: (raw) => {
      raw.dora.repositories[0].deployWorkflow = 'deploy';
    },
    path: 'dora.repositories[0].deployWorkflow',
    message: 'dora.repositories[0].deployWorkflow: found "deploy"; expected a workflow file name such as deploy.yml',
  },
  {
    what: 'channel bad',
    edit: (raw) => {
      raw.alerting.slack.channels.critical = '#Anvila Incidents';
    },
    path: 'alerting.slack.channels.critical',
    message: 'alerting.slack.channels.critical: found "#Anvila Incidents"; expected a Slack channel such as #team-incidents',
  },
  {
    what: 'runbook url',
    edit: (raw) => {
      raw.alerting.runbookBaseUrl = 'runbooks/';
    },
    path: 'alerting.runbookBaseUrl',
    message: 'alerting.runbookBaseUrl: found "runbooks/"; expected the base URL of the runbooks: an absolute http:// or https:// URL',
  },
  {
    what: 'missing alerting',
    edit: (raw) => {
      delete raw.alerting;
    },
    path: 'alerting',
    message: 'alerting: found nothing; this key is required: expected a mapping',
  },
  {
    what: 'poll too fast',
    edit: (raw) => {
      raw.dora.pollIntervalSeconds = 5;
    },
    path: 'dora.pollIntervalSeconds',
    message: 'dora.pollIntervalSeconds: found number 5; expected at least 60 seconds, to stay within the API rate limit',
  },
  // ---- hostile input (issue 9): YAML bombs, huge files, names that would break ids/PromQL/templates,
  // ---- public CIDRs, credentials in URLs, case-only duplicates, SLO windows the alert windows do not fit.
  {
    what: 'YAML alias bomb',
    yaml: [
      'name: anvila',
      'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
    ].join('\n'),
    path: '',
    message: '(root): found more than 100 uses of YAML aliases (*name); expected at most 100 aliases; write the repeated values out instead',
  },
  {
    what: 'YAML alias that contains itself',
    yaml: 'name: &a [*a]\n',
    path: '',
    message: '(root): found a YAML alias inside the value it refers to (a cycle); expected a description without recursive anchors',
  },
  {
    what: 'huge file',
    yaml: `name: anvila\n#${'x'.repeat(1024 * 1024)}\n`,
    path: '',
    message:
      '(root): found a file of 1048591 bytes; expected at most 1048576 bytes (1 MiB): a platform description is small, and a larger file is refused unread',
  },
  {
    what: 'too many values',
    yaml: `name: anvila\ntags: [${Array(100_001).fill('1').join(',')}]\n`,
    path: '',
    message:
      '(root): found a document of more than 100000 values once aliases are expanded; expected at most 100000 values (scalars, lists and mappings); write the description without alias expansion bombs',
  },
  {
    what: 'grafana open to the internet without opt-in',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['203.0.113.0/24', '0.0.0.0/0'];
    },
    path: 'host.grafanaAllowedCidrs[1]',
    message:
      'host.grafanaAllowedCidrs[1]: found "0.0.0.0/0"; 0.0.0.0/0 opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true',
  },
  {
    what: 'grafana open to the IPv6 internet without opt-in',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['::/0'];
      raw.host.allowPublicGrafana = false;
    },
    path: 'host.grafanaAllowedCidrs[0]',
    message:
      'host.grafanaAllowedCidrs[0]: found "::/0"; ::/0 opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true',
  },
  {
    what: 'public opt-in not a boolean',
    edit: (raw) => {
      raw.host.allowPublicGrafana = 'yes';
    },
    path: 'host.allowPublicGrafana',
    message: 'host.allowPublicGrafana: found "yes"; expected true or false',
  },
  {
    what: 'the same CIDR twice (would collide as resource ids)',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['203.0.113.0/24', '198.51.100.0/24', '203.0.113.0/24'];
    },
    path: 'host.grafanaAllowedCidrs[2]',
    message:
      'host.grafanaAllowedCidrs[2]: found "203.0.113.0/24"; each CIDR block once (case does not matter), and "203.0.113.0/24" is already listed at host.grafanaAllowedCidrs[0]',
  },
  {
    what: 'IPv6 CIDRs differing only by case',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['fd12:3456::/32', 'FD12:3456::/32'];
    },
    path: 'host.telemetrySourceCidrs[1]',
    message:
      'host.telemetrySourceCidrs[1]: found "FD12:3456::/32"; each CIDR block once (case does not matter), and "FD12:3456::/32" is already listed at host.telemetrySourceCidrs[0]',
  },
  {
    what: 'telemetry from the internet',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['0.0.0.0/0'];
    },
    path: 'host.telemetrySourceCidrs[0]',
    message:
      'host.telemetrySourceCidrs[0]: found "0.0.0.0/0"; telemetry receivers (OTLP 4317/4318) are never open to the whole internet: name the app networks, e.g. 10.0.0.0/16',
  },
  {
    what: 'probe url with credentials',
    edit: (raw) => {
      raw.services[0].environments[0].probeUrl = 'https://probe:s3cret@staging.api.anvila.example/health';
    },
    path: 'services[0].environments[0].probeUrl',
    message:
      'services[0].environments[0].probeUrl: found "https://probe:s3cret@staging.api.anvila.example/health"; expected the URL the blackbox exporter probes without credentials (user:password@): URLs end up in rendered files, alerts and Terraform state; secrets belong in SSM parameters',
  },
  {
    what: 'runbook url with credentials',
    edit: (raw) => {
      raw.alerting.runbookBaseUrl = 'https://bot:hunter2@wiki.anvila.example/runbooks';
    },
    path: 'alerting.runbookBaseUrl',
    message:
      'alerting.runbookBaseUrl: found "https://bot:hunter2@wiki.anvila.example/runbooks"; expected the base URL of the runbooks without credentials (user:password@): URLs end up in rendered files, alerts and Terraform state; secrets belong in SSM parameters',
  },
  {
    what: 'github api url with a user',
    edit: (raw) => {
      raw.dora.apiUrl = 'https://x-access-token@github.example/api/v3';
    },
    path: 'dora.apiUrl',
    message:
      'dora.apiUrl: found "https://x-access-token@github.example/api/v3"; expected the GitHub API base URL without credentials (user:password@): URLs end up in rendered files, alerts and Terraform state; secrets belong in SSM parameters',
  },
  {
    what: 'github api url over plain http',
    edit: (raw) => {
      raw.dora.apiUrl = 'http://github.example/api/v3';
    },
    path: 'dora.apiUrl',
    message: 'dora.apiUrl: found "http://github.example/api/v3"; expected an https:// URL: the GitHub token is sent with every request',
  },
  {
    what: 'dora repository with both branch and deployRef',
    edit: (raw) => {
      raw.dora.repositories[0].branch = 'main';
      raw.dora.repositories[0].deployRef = 'v*';
    },
    path: 'dora.repositories[0].deployRef',
    message: 'dora.repositories[0].deployRef: found "v*"; expected either branch or deployRef, not both',
  },
  {
    what: 'probe url with a Go template',
    edit: (raw) => {
      raw.services[0].environments[1].probeUrl = 'https://api.anvila.example/health?q={{ .Labels }}';
    },
    path: 'services[0].environments[1].probeUrl',
    message:
      'services[0].environments[1].probeUrl: found "https://api.anvila.example/health?q={{ .Labels }}"; expected the URL the blackbox exporter probes with spaces, quotes, backslashes, braces, angle brackets, | ^ and ` percent-encoded (e.g. %20, %22, %7B)',
  },
  {
    what: 'runbook url with a newline',
    edit: (raw) => {
      raw.alerting.runbookBaseUrl = 'https://wiki.anvila.example/run\nbooks';
    },
    path: 'alerting.runbookBaseUrl',
    message:
      'alerting.runbookBaseUrl: found "https://wiki.anvila.example/run\\nbooks"; expected the base URL of the runbooks with spaces, quotes, backslashes, braces, angle brackets, | ^ and ` percent-encoded (e.g. %20, %22, %7B)',
  },
  {
    what: 'grafana url with a quote',
    edit: (raw) => {
      raw.alerting.grafanaBaseUrl = 'https://grafana.anvila.example/"onload';
    },
    path: 'alerting.grafanaBaseUrl',
    message:
      'alerting.grafanaBaseUrl: found "https://grafana.anvila.example/\\"onload"; expected the Grafana base URL with spaces, quotes, backslashes, braces, angle brackets, | ^ and ` percent-encoded (e.g. %20, %22, %7B)',
  },
  {
    what: 'service name with a quote',
    edit: (raw) => {
      raw.services[0].name = 'anvila"api';
    },
    path: 'services[0].name',
    message: 'services[0].name: found "anvila\\"api"; expected a service name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter',
  },
  {
    what: 'environment name with braces',
    edit: (raw) => {
      raw.services[0].environments[0].name = 'prod{x}';
    },
    path: 'services[0].environments[0].name',
    message:
      'services[0].environments[0].name: found "prod{x}"; expected an environment name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter',
  },
  {
    what: 'SLO name with a newline',
    edit: (raw) => {
      raw.services[0].slos[0].name = 'avail\nability';
    },
    path: 'services[0].slos[0].name',
    message:
      'services[0].slos[0].name: found "avail\\nability"; expected an SLO name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter',
  },
  {
    what: 'service name with unicode',
    edit: (raw) => {
      raw.services[0].name = 'anvíla-api';
    },
    path: 'services[0].name',
    message: 'services[0].name: found "anvíla-api"; expected a service name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter',
  },
  {
    what: 'service name differing only by case',
    edit: (raw) => {
      raw.services.push({ ...JSON.parse(JSON.stringify(raw.services[0])), name: 'Anvila-API' });
    },
    path: 'services[1].name',
    message: 'services[1].name: found "Anvila-API"; expected a service name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter',
  },
  {
    what: 'slack channel with unicode',
    edit: (raw) => {
      raw.alerting.slack.channels.warning = '#équipe-alertes';
    },
    path: 'alerting.slack.channels.warning',
    message: 'alerting.slack.channels.warning: found "#équipe-alertes"; expected a Slack channel such as #team-alerts',
  },
  {
    what: 'slack channel with a template',
    edit: (raw) => {
      raw.alerting.slack.channels.critical = '#{{ .CommonLabels.team }}';
    },
    path: 'alerting.slack.channels.critical',
    message: 'alerting.slack.channels.critical: found "#{{ .CommonLabels.team }}"; expected a Slack channel such as #team-incidents',
  },
  {
    what: 'dora repositories differing only by case',
    edit: (raw) => {
      raw.dora.repositories.push({ repo: 'Acme/Anvila-API', deployWorkflow: 'deploy.yml' });
    },
    path: 'dora.repositories[1].repo',
    message:
      'dora.repositories[1].repo: found "Acme/Anvila-API"; GitHub repository names ignore case, and "Acme/Anvila-API" is already listed at dora.repositories[0]',
  },
  {
    what: 'duplicate receivers',
    edit: (raw) => {
      raw.alerting.receivers = [
        { name: 'ops', webhookUrlParameter: '/anvila/ops' },
        { name: 'ops', webhookUrlParameter: '/anvila/ops2' },
      ];
    },
    path: 'alerting.receivers[1].name',
    message: 'alerting.receivers[1].name: found "ops"; receiver names must be unique, and "ops" is already used at alerting.receivers[0]',
  },
  {
    what: 'receiver e-mail with a template',
    edit: (raw) => {
      raw.alerting.smtp = { smarthost: 'smtp.example.com:587', from: 'alerts@anvila.example' };
      raw.alerting.receivers = [{ name: 'mail', email: '{{ .x }}@anvila.example' }];
    },
    path: 'alerting.receivers[0].email',
    message: 'alerting.receivers[0].email: found "{{ .x }}@anvila.example"; expected an e-mail address such as oncall@example.com',
  },
  {
    what: 'SLO window in hours',
    edit: (raw) => {
      raw.services[0].slos[0].window = '36h';
    },
    path: 'services[0].slos[0].window',
    message: 'services[0].slos[0].window: found "36h"; expected a whole number of days, at least 3d (the longest burn-rate alert window), e.g. 7d, 28d or 30d',
  },
  {
    what: 'SLO window shorter than the alert windows',
    edit: (raw) => {
      raw.services[0].slos[1].window = '2d';
    },
    path: 'services[0].slos[1].window',
    message: 'services[0].slos[1].window: found "2d"; expected a whole number of days, at least 3d (the longest burn-rate alert window), e.g. 7d, 28d or 30d',
  },
  {
    what: 'SLO window in minutes',
    edit: (raw) => {
      raw.services[0].slos[2].window = '10000m';
    },
    path: 'services[0].slos[2].window',
    message:
      'services[0].slos[2].window: found "10000m"; expected a whole number of days, at least 3d (the longest burn-rate alert window), e.g. 7d, 28d or 30d',
  },
  {
    what: 'tag value with a Terraform expression',
    edit: (raw) => {
      raw.tags = { owner: '${file("/etc/passwd")}' };
    },
    path: 'tags.owner',
    message: 'tags.owner: found "${file(\\"/etc/passwd\\")}"; expected a tag value of at most 256 letters, digits, spaces and _ . : / = + - @',
  },
  {
    what: 'tag value with a newline',
    edit: (raw) => {
      raw.tags = { owner: 'platform\nteam' };
    },
    path: 'tags.owner',
    message: 'tags.owner: found "platform\\nteam"; expected a tag value of at most 256 letters, digits, spaces and _ . : / = + - @',
  },
  {
    what: 'tag key reserved by AWS',
    edit: (raw) => {
      raw.tags = { 'aws:owner': 'platform' };
    },
    path: 'tags.aws:owner',
    message: 'tags.aws:owner: found key "aws:owner"; expected tag keys of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws:',
  },
  {
    what: 'suppression without a real reason',
    edit: (raw) => {
      raw.policy = { suppressions: [{ rule: 'LGTM-EC2-IMDSV2', resource: 'anvila-infra/host/instance', reason: 'legacy' }] };
    },
    path: 'policy.suppressions[0].reason',
    message:
      'policy.suppressions[0].reason: found "legacy"; expected a written reason of at least 20 characters: why this finding is acceptable for this resource',
  },
  {
    what: 'suppression of a rule by another name',
    edit: (raw) => {
      raw.policy = { suppressions: [{ rule: 'CKV_AWS_79', resource: 'anvila-infra/host/instance', reason: 'the monitoring agent needs IMDSv1 until v2' }] };
    },
    path: 'policy.suppressions[0].rule',
    message: 'policy.suppressions[0].rule: found "CKV_AWS_79"; expected a policy rule id such as LGTM-EC2-DETAILED-MONITORING',
  },
  {
    what: 'malformed YAML',
    yaml: 'name: anvila\n  region: [',
    path: 'line 2, column 9',
    message: 'line 2, column 9: found malformed YAML (bad indentation of a mapping entry); fix the YAML syntax there',
  },
  {
    what: 'malformed YAML',
    yaml: 'name: anvila\nname: other\n',
    path: 'line 2, column 1',
    message: 'line 2, column 1: found malformed YAML (duplicated mapping key); fix the YAML syntax there',
  },
  {
    what: 'malformed YAML',
    yaml: '- just\n- a list\n',
    path: '',
    message: '(root): found a list of 2; expected a mapping of platform settings (name, region, host, services, alerting)',
  },
  {
    what: 'agent: no tags',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: {} } };
    },
    path: 'services[0].environments[1].agent.selector.tag',
    message: 'services[0].environments[1].agent.selector.tag: found a mapping; expected 1 to 5 tags',
  },
  {
    what: 'agent: wildcard value',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'anvila-*' } } };
    },
    path: 'services[0].environments[1].agent.selector.tag.Role',
    message:
      'services[0].environments[1].agent.selector.tag.Role: found "anvila-*"; expected a tag value of letters, digits and _ . : / + = @ - (no wildcards, spaces or commas), 1-255 characters',
  },
  {
    what: 'agent: aws: key',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: { 'aws:autoscaling:groupName': 'x' } } };
    },
    path: 'services[0].environments[1].agent.selector.tag.aws:autoscaling:groupName',
    message:
      'services[0].environments[1].agent.selector.tag.aws:autoscaling:groupName: found "x"; expected a tag key of letters, digits and _ . : / - starting with a letter, and not aws: (reserved)',
  },
  {
    what: 'agent: relative file',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'a' } }, logs: { files: ['logs/app.log'] } };
    },
    path: 'services[0].environments[1].agent.logs.files[0]',
    message:
      'services[0].environments[1].agent.logs.files[0]: found "logs/app.log"; expected an absolute path or glob such as /var/log/anvila/*.log (no spaces or quotes)',
  },
  {
    what: 'agent: no route',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = [];
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'a' } } };
    },
    path: 'services[0].environments[1].agent.appSecurityGroupId',
    message:
      "services[0].environments[1].agent.appSecurityGroupId: found nothing; the agent sends OTLP to the monitoring host: give the app servers' appSecurityGroupId, or list their network in host.telemetrySourceCidrs",
  },
  {
    what: 'agent: no selector',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { logs: {} };
    },
    path: 'services[0].environments[1].agent.selector',
    message: 'services[0].environments[1].agent.selector: found nothing; this key is required: expected a mapping',
  },
  {
    what: 'agent: selectors that can match the same instance',
    edit: (raw) => {
      raw.services[0].environments[0].agent = { selector: { tag: { Role: 'anvila-api' } } };
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'anvila-api', Env: 'production' } } };
    },
    path: 'services[0].environments[1].agent.selector.tag',
    message:
      'services[0].environments[1].agent.selector.tag: found a mapping; this selector can match the same instances as services[0].environments[0].agent.selector.tag: give both a tag key with different values (e.g. Env)',
  },
  // scale: distributed (issue 11)
  {
    what: 'distributed block with scale single',
    edit: (raw) => {
      raw.distributed = { metricsStore: { amp: {} } };
    },
    path: 'distributed',
    message:
      'distributed: found a mapping; a distributed block only applies with scale: distributed; set scale: distributed, or remove distributed to stay on one host',
  },
  {
    what: 'unknown scale',
    edit: (raw) => {
      raw.scale = 'huge';
    },
    path: 'scale',
    message: 'scale: found "huge"; expected single or distributed',
  },
  {
    what: 'two metrics stores at once',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { amp: {}, remoteWriteUrl: 'https://mimir.example.com/api/v1/push' } };
    },
    path: 'distributed.metricsStore',
    message:
      'distributed.metricsStore: found a mapping; expected { amp: {} } or { remoteWriteUrl: https://..., ... } (credentials only as SSM parameter names)',
  },
  {
    what: 'credentials inside the remote-write URL',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { remoteWriteUrl: 'https://u:p@mimir.example.com/api/v1/push' } };
    },
    path: 'distributed.metricsStore.remoteWriteUrl',
    message:
      'distributed.metricsStore.remoteWriteUrl: found "https://u:p@mimir.example.com/api/v1/push"; expected the remote-write endpoint without credentials (user:password@): URLs end up in rendered files, alerts and Terraform state; name the credentials\' SSM parameters instead (basicAuthPasswordParameter or bearerTokenParameter)',
  },
  {
    what: 'remote-write password as a value',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push', basicAuthPassword: 'x' } };
    },
    path: 'distributed.metricsStore.basicAuthPassword',
    message:
      'distributed.metricsStore.basicAuthPassword: found unknown key "basicAuthPassword"; allowed keys here: remoteWriteUrl, queryUrl, basicAuthUsername, basicAuthPasswordParameter, bearerTokenParameter, tenant; secrets are never given as values: store it in SSM Parameter Store and name it with `basicAuthPasswordParameter` where that key exists',
  },
  {
    what: 'bearer token as a value',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push', bearerTokenParameter: 'glpat-xyz' } };
    },
    path: 'distributed.metricsStore.bearerTokenParameter',
    message:
      'distributed.metricsStore.bearerTokenParameter: found "glpat-xyz"; this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook',
  },
  {
    what: 'basic-auth password without user name',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { remoteWriteUrl: 'https://mimir.example.com/api/v1/push', basicAuthPasswordParameter: '/anvila/mimir-password' } };
    },
    path: 'distributed.metricsStore.basicAuthUsername',
    message: 'distributed.metricsStore.basicAuthUsername: found nothing; basic auth takes both basicAuthUsername and basicAuthPasswordParameter',
  },
  {
    what: 'Grafana query URL that needs a secret',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = {
        metricsStore: {
          remoteWriteUrl: 'https://mimir.example.com/api/v1/push',
          queryUrl: 'https://mimir.example.com/prometheus',
          bearerTokenParameter: '/anvila/mimir-token',
        },
      };
    },
    path: 'distributed.metricsStore.queryUrl',
    message:
      'distributed.metricsStore.queryUrl: found "https://mimir.example.com/prometheus"; Grafana\'s data source cannot read with a secret without keeping it in Terraform state; drop queryUrl (Grafana keeps reading the local Prometheus) or give the URL of a query path that needs no credentials from the host (e.g. behind a network boundary)',
  },
  {
    what: 'ingest desired outside min..max',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { ingest: { nodes: { min: 2, max: 4, desired: 8 } } };
    },
    path: 'distributed.ingest.nodes.desired',
    message: 'distributed.ingest.nodes.desired: found number 8; expected desired between min (2) and max (4)',
  },
  {
    what: 'ingest min above max',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { ingest: { nodes: { min: 5, max: 4 } } };
    },
    path: 'distributed.ingest.nodes.min',
    message: 'distributed.ingest.nodes.min: found number 5; expected min at most max (4)',
  },
  // ---- trust boundary (issue 19): CIDRs by coverage, port collisions, text that Terraform would evaluate,
  // ---- credentials over plain HTTP, log paths outside application directories, names too long for AWS prefixes.
  {
    what: 'grafana open to half the internet (0.0.0.0/1) without opt-in',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['0.0.0.0/1', '128.0.0.0/1'];
    },
    path: 'host.grafanaAllowedCidrs[0]',
    message:
      'host.grafanaAllowedCidrs[0]: found "0.0.0.0/1"; 0.0.0.0/1 opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true\nconfig/platform.yaml: host.grafanaAllowedCidrs[1]: found "128.0.0.0/1"; 128.0.0.0/1 opens Grafana to the whole internet: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true',
  },
  {
    what: 'grafana open to a /8 of public space, split in halves, without opt-in',
    edit: (raw) => {
      raw.host.grafanaAllowedCidrs = ['44.0.0.0/9', '44.128.0.0/9'];
    },
    path: 'host.grafanaAllowedCidrs',
    message:
      'host.grafanaAllowedCidrs: found a list of 2; together these blocks cover at least a /8 of public addresses, which opens Grafana to the internet at large: name the networks that need it, or opt in explicitly with host.allowPublicGrafana: true',
  },
  {
    what: 'telemetry from a public network without opt-in',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['52.94.0.0/16'];
    },
    path: 'host.telemetrySourceCidrs[0]',
    message:
      'host.telemetrySourceCidrs[0]: found "52.94.0.0/16"; telemetry sources are the app servers\' private networks (inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7); for app servers reachable only by public addresses, opt in explicitly with host.allowPublicTelemetrySources: true',
  },
  {
    what: 'telemetry from half the internet even with the public opt-in',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['128.0.0.0/1'];
      raw.host.allowPublicTelemetrySources = true;
    },
    path: 'host.telemetrySourceCidrs[0]',
    message:
      'host.telemetrySourceCidrs[0]: found "128.0.0.0/1"; telemetry receivers (OTLP 4317/4318) are never open to the whole internet: name the app networks, e.g. 10.0.0.0/16',
  },
  {
    what: 'telemetry from public ranges that together reach a /8, with the public opt-in',
    edit: (raw) => {
      raw.host.telemetrySourceCidrs = ['44.0.0.0/9', '44.128.0.0/9'];
      raw.host.allowPublicTelemetrySources = true;
    },
    path: 'host.telemetrySourceCidrs',
    message:
      'host.telemetrySourceCidrs: found a list of 2; together these blocks cover at least a /8 of public addresses: telemetry receivers are never open to the internet at large; name the app networks, e.g. 10.0.0.0/16',
  },
  {
    what: "grafana on Loki's port",
    edit: (raw) => {
      raw.host.grafanaPort = 3100;
    },
    path: 'host.grafanaPort',
    message:
      "host.grafanaPort: found number 3100; port 3100 is taken by loki on the monitoring host; expected a free port 1024-65535 other than the OTLP receivers' 4317-4320 and 3100, 3200, 4417, 7946, 7947, 8888, 9090, 9093, 9095, 9096, 9100, 9115, 9491, 13133",
  },
  {
    what: 'grafana with both a certificate from SSM and one from ACM',
    edit: (raw) => {
      raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key' };
      raw.host.grafanaCertificate = { domain: 'grafana.anvila.example', route53ZoneId: 'Z0123456789ABCDEFGHIJ' };
    },
    path: 'host.grafanaCertificate',
    message:
      'host.grafanaCertificate: found a mapping; host.grafanaCertificate and host.grafanaTls both give Grafana a certificate; expected one of them (grafanaCertificate: AWS issues and renews it; grafanaTls: yours, from SSM)',
  },
  {
    what: 'grafana certificate in a zone id that is no Route 53 id',
    edit: (raw) => {
      raw.host.grafanaCertificate = { domain: 'grafana.anvila.example', route53ZoneId: 'example.com' };
    },
    path: 'host.grafanaCertificate.route53ZoneId',
    message: 'host.grafanaCertificate.route53ZoneId: found "example.com"; expected a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
  },
  {
    what: 'grafana on the OTLP gRPC port',
    edit: (raw) => {
      raw.host.grafanaPort = 4317;
    },
    path: 'host.grafanaPort',
    message:
      "host.grafanaPort: found number 4317; port 4317 is taken by the OTLP receivers on the monitoring host; expected a free port 1024-65535 other than the OTLP receivers' 4317-4320 and 3100, 3200, 4417, 7946, 7947, 8888, 9090, 9093, 9095, 9096, 9100, 9115, 9491, 13133",
  },
  {
    what: "grafana on the second environment's OTLP HTTP port",
    edit: (raw) => {
      raw.host.grafanaPort = 4320;
    },
    path: 'host.grafanaPort',
    message:
      "host.grafanaPort: found number 4320; port 4320 is taken by the OTLP receivers on the monitoring host; expected a free port 1024-65535 other than the OTLP receivers' 4317-4320 and 3100, 3200, 4417, 7946, 7947, 8888, 9090, 9093, 9095, 9096, 9100, 9115, 9491, 13133",
  },
  {
    what: 'more environments than there are OTLP port pairs',
    edit: (raw) => {
      raw.services[0].environments = Array.from({ length: 51 }, (_, i) => ({
        name: `env-${i}`,
        probeUrl: 'https://api.anvila.example/health',
        metricsTarget: '10.0.1.10:8000',
      }));
    },
    path: 'services',
    message: 'services: found a list of 1; found 51 distinct environment names; each gets its own OTLP receivers (ports 4317-4416), so at most 50 are allowed',
  },
  {
    what: 'artifact mirror prefix with a Terraform expression',
    edit: (raw) => {
      raw.host.artifactMirror = { s3Bucket: 'anvila-mirror', prefix: '${file("/etc/hostname")}' };
    },
    path: 'host.artifactMirror.prefix',
    message:
      'host.artifactMirror.prefix: found "${file(\\"/etc/hostname\\")}"; expected a key prefix of segments made of letters, digits and _ . - separated by / (no leading or trailing /, no . or .. segments), e.g. lgtm-artifacts or mirrors/lgtm',
  },
  {
    what: 'artifact mirror prefix that climbs out with ..',
    edit: (raw) => {
      raw.host.artifactMirror = { s3Bucket: 'anvila-mirror', prefix: 'lgtm/../other' };
    },
    path: 'host.artifactMirror.prefix',
    message:
      'host.artifactMirror.prefix: found "lgtm/../other"; expected a key prefix of segments made of letters, digits and _ . - separated by / (no leading or trailing /, no . or .. segments), e.g. lgtm-artifacts or mirrors/lgtm',
  },
  {
    what: 'a CDKTF token marker in free text',
    edit: (raw) => {
      raw.services[0].team = 'ops ${TfToken[TOKEN.1]}';
    },
    path: 'services[0].team',
    message:
      'services[0].team: found "ops ${TfToken[TOKEN.1]}"; expected text without "${TfToken[": that is how CDKTF marks a reference, and in config it would turn into a reference to another resource',
  },
  {
    what: 'remote-write bearer token over plain HTTP',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = { metricsStore: { remoteWriteUrl: 'http://mimir.example.com/api/v1/push', bearerTokenParameter: '/anvila/mimir-token' } };
    },
    path: 'distributed.metricsStore.remoteWriteUrl',
    message:
      'distributed.metricsStore.remoteWriteUrl: found "http://mimir.example.com/api/v1/push"; expected an https:// URL: Prometheus sends the basic-auth password or bearer token with every remote-write request, and plain HTTP shows it to the network',
  },
  {
    what: 'remote-write basic auth over plain HTTP',
    edit: (raw) => {
      raw.scale = 'distributed';
      raw.distributed = {
        metricsStore: {
          remoteWriteUrl: 'http://mimir.example.com/api/v1/push',
          basicAuthUsername: 'anvila',
          basicAuthPasswordParameter: '/anvila/mimir-password',
        },
      };
    },
    path: 'distributed.metricsStore.remoteWriteUrl',
    message:
      'distributed.metricsStore.remoteWriteUrl: found "http://mimir.example.com/api/v1/push"; expected an https:// URL: Prometheus sends the basic-auth password or bearer token with every remote-write request, and plain HTTP shows it to the network',
  },
  {
    what: 'agent told to ship /etc/shadow',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'anvila-api' } }, logs: { files: ['/var/log/anvila/*.log', '/etc/shadow'] } };
    },
    path: 'services[0].environments[1].agent.logs.files[1]',
    message:
      'services[0].environments[1].agent.logs.files[1]: found "/etc/shadow"; expected a log file path or glob under /var/log/, /opt/, /srv/ (no . or .. segments): the agent ships what it reads to the monitoring host',
  },
  {
    what: 'agent log path climbing out of /var/log',
    edit: (raw) => {
      raw.services[0].environments[1].agent = { selector: { tag: { Role: 'anvila-api' } }, logs: { files: ['/var/log/../../etc/shadow'] } };
    },
    path: 'services[0].environments[1].agent.logs.files[0]',
    message:
      'services[0].environments[1].agent.logs.files[0]: found "/var/log/../../etc/shadow"; expected a log file path or glob under /var/log/, /opt/, /srv/ (no . or .. segments): the agent ships what it reads to the monitoring host',
  },
  {
    what: 'platform name too long for the IAM role name prefix',
    edit: (raw) => {
      raw.name = 'anvila-observability-prod1'.padEnd(27, 'x');
    },
    path: 'name',
    message:
      'name: found "anvila-observability-prod1x"; expected a platform name: lowercase letters, digits and dashes, 2-26 characters, starting with a letter (AWS name prefixes such as <name>-monitoring- are built from it)',
  },
  {
    what: 'critical tier below its warning tier',
    edit: (raw) => {
      raw.alerting.thresholds = { cpuPercent: 85, cpuCriticalPercent: 70 };
    },
    path: 'alerting.thresholds.cpuCriticalPercent',
    message:
      'alerting.thresholds.cpuCriticalPercent: found number 70; expected a number at least cpuPercent (85): the critical tier pages at or above the warning tier',
  },
  {
    what: 'critical disk-fill horizon longer than the warning one',
    edit: (raw) => {
      raw.alerting.thresholds = { diskFullWithinHours: 12, diskFullCriticalWithinHours: 48 };
    },
    path: 'alerting.thresholds.diskFullCriticalWithinHours',
    message: 'alerting.thresholds.diskFullCriticalWithinHours: found number 48; expected a number at most diskFullWithinHours (12)',
  },
  {
    what: 'HTTPS scrape with a client certificate but no key',
    edit: (raw) => {
      raw.services[0].environments[0].metricsTls = { clientCertificateParameter: '/anvila/app-client-cert' };
    },
    path: 'services[0].environments[0].metricsTls.clientKeyParameter',
    message:
      'services[0].environments[0].metricsTls.clientKeyParameter: found nothing; expected clientCertificateParameter and clientKeyParameter together (a client certificate needs its key), or neither',
  },
];
