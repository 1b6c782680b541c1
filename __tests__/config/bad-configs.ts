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
    what: "unknown top key",
    edit: (raw) => { raw.regoin = 'x'; },
    path: "regoin",
    message: "regoin: found unknown key \"regoin\"; allowed keys here: name, region, tags, host, services, alerting, dora, terraformState, grafana, policy",
  },
  {
    what: "unknown host key",
    edit: (raw) => { raw.host.instanceTyp = 't3.large'; },
    path: "host.instanceTyp",
    message: "host.instanceTyp: found unknown key \"instanceTyp\"; allowed keys here: instanceType, grafanaAllowedCidrs, telemetrySourceCidrs, dataVolumeGiB, rootVolumeGiB, grafanaPort, subnetId, availabilityZone, grafanaAdminPasswordParameter, grafanaTls, retention, artifactMirror, artifactChecksums, allowPublicGrafana, detailedMonitoring, disableApiTermination",
  },
  {
    what: "secret-ish key",
    edit: (raw) => { raw.alerting.slack.webhookUrl = 'https://hooks.slack.com/x'; },
    path: "alerting.slack.webhookUrl",
    message: "alerting.slack.webhookUrl: found unknown key \"webhookUrl\"; allowed keys here: webhookUrlParameter, channels; secrets are never given as values: store it in SSM Parameter Store and name it with `webhookUrlParameter` where that key exists",
  },
  {
    what: "missing name",
    edit: (raw) => { delete raw.name; },
    path: "name",
    message: "name: found nothing; this key is required: expected a platform name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter",
  },
  {
    what: "name uppercase",
    edit: (raw) => { raw.name = 'Anvila'; },
    path: "name",
    message: "name: found \"Anvila\"; expected a platform name: lowercase letters, digits and dashes, 2-32 characters, starting with a letter",
  },
  {
    what: "region bad",
    edit: (raw) => { raw.region = 'us-east'; },
    path: "region",
    message: "region: found \"us-east\"; expected an AWS region such as us-east-1",
  },
  {
    what: "objective 100",
    edit: (raw) => { raw.services[0].slos[1].objective = 100; },
    path: "services[0].slos[1].objective",
    message: "services[0].slos[1].objective: found number 100; expected a percentage strictly between 0 and 100, e.g. 99.5",
  },
  {
    what: "objective 0",
    edit: (raw) => { raw.services[0].slos[0].objective = 0; },
    path: "services[0].slos[0].objective",
    message: "services[0].slos[0].objective: found number 0; expected a percentage strictly between 0 and 100, e.g. 99.5",
  },
  {
    what: "objective string",
    edit: (raw) => { raw.services[0].slos[0].objective = '99.5%'; },
    path: "services[0].slos[0].objective",
    message: "services[0].slos[0].objective: found \"99.5%\"; expected a percentage strictly between 0 and 100, e.g. 99.5",
  },
  {
    what: "window bad",
    edit: (raw) => { raw.services[0].slos[0].window = '30 days'; },
    path: "services[0].slos[0].window",
    message: "services[0].slos[0].window: found \"30 days\"; expected a window between 1d and 90d such as 30d or 4w",
  },
  {
    what: "window too long",
    edit: (raw) => { raw.services[0].slos[0].window = '365d'; },
    path: "services[0].slos[0].window",
    message: "services[0].slos[0].window: found \"365d\"; expected a window between 1d and 90d such as 30d or 4w",
  },
  {
    what: "cidr bad prefix",
    edit: (raw) => { raw.host.grafanaAllowedCidrs = ['10.0.0.0/33']; },
    path: "host.grafanaAllowedCidrs[0]",
    message: "host.grafanaAllowedCidrs[0]: found \"10.0.0.0/33\"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)",
  },
  {
    what: "cidr no prefix",
    edit: (raw) => { raw.host.telemetrySourceCidrs = ['10.0.0.1']; },
    path: "host.telemetrySourceCidrs[0]",
    message: "host.telemetrySourceCidrs[0]: found \"10.0.0.1\"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)",
  },
  {
    what: "cidr host bits",
    edit: (raw) => { raw.host.grafanaAllowedCidrs = ['203.0.113.7/24']; },
    path: "host.grafanaAllowedCidrs[0]",
    message: "host.grafanaAllowedCidrs[0]: found \"203.0.113.7/24\"; expected a CIDR block such as 10.0.0.0/16 (IPv4 or IPv6, prefix length within range, no host bits set)",
  },
  {
    what: "cidr empty list",
    edit: (raw) => { raw.host.grafanaAllowedCidrs = []; },
    path: "host.grafanaAllowedCidrs",
    message: "host.grafanaAllowedCidrs: found a list of 0; expected at least one CIDR block",
  },
  {
    what: "probe url bad",
    edit: (raw) => { raw.services[0].environments[1].probeUrl = 'api.anvila.example/health'; },
    path: "services[0].environments[1].probeUrl",
    message: "services[0].environments[1].probeUrl: found \"api.anvila.example/health\"; expected the URL the blackbox exporter probes: an absolute http:// or https:// URL",
  },
  {
    what: "probe url ftp",
    edit: (raw) => { raw.services[0].environments[1].probeUrl = 'ftp://api.anvila.example/'; },
    path: "services[0].environments[1].probeUrl",
    message: "services[0].environments[1].probeUrl: found \"ftp://api.anvila.example/\"; expected the URL the blackbox exporter probes: an absolute http:// or https:// URL",
  },
  {
    what: "dup service",
    edit: (raw) => { raw.services.push(JSON.parse(JSON.stringify(raw.services[0]))); },
    path: "services[1].name",
    message: "services[1].name: found \"anvila-api\"; service names must be unique, and \"anvila-api\" is already used at services[0]",
  },
  {
    what: "dup env",
    edit: (raw) => { raw.services[0].environments[1].name = 'staging'; },
    path: "services[0].environments[1].name",
    message: "services[0].environments[1].name: found \"staging\"; environment names must be unique, and \"staging\" is already used at services[0].environments[0]",
  },
  {
    what: "dup slo",
    edit: (raw) => { raw.services[0].slos[2].name = 'availability'; },
    path: "services[0].slos[2].name",
    message: "services[0].slos[2].name: found \"availability\"; SLO names must be unique, and \"availability\" is already used at services[0].slos[0]",
  },
  {
    what: "secret value slack",
    edit: (raw) => { raw.alerting.slack.webhookUrlParameter = 'https://hooks.slack.com/services/T000/B000/XXXX'; },
    path: "alerting.slack.webhookUrlParameter",
    message: "alerting.slack.webhookUrlParameter: found \"https://hooks.slack.com/services/T000/B000/XXXX\"; this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook",
  },
  {
    what: "secret value github",
    edit: (raw) => { raw.dora.githubTokenParameter = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'; },
    path: "dora.githubTokenParameter",
    message: "dora.githubTokenParameter: found \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"; this looks like the secret itself, which must never be in config: store it in SSM Parameter Store as a SecureString and give its name here, e.g. /anvila/slack-webhook",
  },
  {
    what: "param no slash",
    edit: (raw) => { raw.dora.githubTokenParameter = 'anvila github token'; },
    path: "dora.githubTokenParameter",
    message: "dora.githubTokenParameter: found \"anvila github token\"; expected the name of an SSM parameter: a path starting with \"/\" made of letters, digits and _ . - (e.g. /anvila/slack-webhook)",
  },
  {
    what: "latency threshold",
    edit: (raw) => { raw.services[0].slos[2].sli.latency.threshold = 0.3; },
    path: "services[0].slos[2].sli.latency.threshold",
    message: "services[0].slos[2].sli.latency.threshold: found number 0.3; the threshold must be a bucket boundary of http_request_duration_seconds; this service's boundaries (services[0].latencyBuckets) are 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10",
  },
  {
    what: "sli unknown",
    edit: (raw) => { raw.services[0].slos[0].sli = 'uptime'; },
    path: "services[0].slos[0].sli",
    message: "services[0].slos[0].sli: found \"uptime\"; expected one of: probe, errors, or { latency: { threshold: <seconds> } }",
  },
  {
    what: "instance type",
    edit: (raw) => { raw.host.instanceType = 'large'; },
    path: "host.instanceType",
    message: "host.instanceType: found \"large\"; expected an EC2 instance type such as t3.large or m7g.xlarge",
  },
  {
    what: "data volume small",
    edit: (raw) => { raw.host.dataVolumeGiB = 5; },
    path: "host.dataVolumeGiB",
    message: "host.dataVolumeGiB: found number 5; expected a whole number of GiB between 10 and 16384",
  },
  {
    what: "data volume fractional",
    edit: (raw) => { raw.host.dataVolumeGiB = 50.5; },
    path: "host.dataVolumeGiB",
    message: "host.dataVolumeGiB: found number 50.5; expected a whole number of GiB between 10 and 16384",
  },
  {
    what: "no environments",
    edit: (raw) => { raw.services[0].environments = []; },
    path: "services[0].environments",
    message: "services[0].environments: found a list of 0; expected at least one environment",
  },
  {
    what: "metricsTarget bad",
    edit: (raw) => { raw.services[0].environments[0].metricsTarget = 'http://10.0.1.10:8000/metrics'; },
    path: "services[0].environments[0].metricsTarget",
    message: "services[0].environments[0].metricsTarget: found \"http://10.0.1.10:8000/metrics\"; expected host:port of the app metrics endpoint, e.g. 10.0.1.10:8000",
  },
  {
    what: "errors sli no metrics",
    edit: (raw) => { delete raw.services[0].environments[0].metricsTarget; },
    path: "services[0].slos[1].sli",
    message: "services[0].slos[1].sli: found \"errors\"; an errors SLI reads http_requests_total, so at least one environment of this service needs a metricsTarget",
  },
  {
    what: "services not list",
    edit: (raw) => { raw.services = { name: 'x' }; },
    path: "services",
    message: "services: found a mapping; expected a list of services",
  },
  {
    what: "repo bad",
    edit: (raw) => { raw.dora.repositories[0].repo = 'anvila-api'; },
    path: "dora.repositories[0].repo",
    message: "dora.repositories[0].repo: found \"anvila-api\"; expected owner/name of a GitHub repository, e.g. acme/anvila-api",
  },
  {
    what: "workflow bad",
    edit: (raw) => { raw.dora.repositories[0].deployWorkflow = 'deploy'; },
    path: "dora.repositories[0].deployWorkflow",
    message: "dora.repositories[0].deployWorkflow: found \"deploy\"; expected a workflow file name such as deploy.yml",
  },
  {
    what: "channel bad",
    edit: (raw) => { raw.alerting.slack.channels.critical = '#Anvila Incidents'; },
    path: "alerting.slack.channels.critical",
    message: "alerting.slack.channels.critical: found \"#Anvila Incidents\"; expected a Slack channel such as #team-incidents",
  },
  {
    what: "runbook url",
    edit: (raw) => { raw.alerting.runbookBaseUrl = 'runbooks/'; },
    path: "alerting.runbookBaseUrl",
    message: "alerting.runbookBaseUrl: found \"runbooks/\"; expected the base URL of the runbooks: an absolute http:// or https:// URL",
  },
  {
    what: "missing alerting",
    edit: (raw) => { delete raw.alerting; },
    path: "alerting",
    message: "alerting: found nothing; this key is required: expected a mapping",
  },
  {
    what: "poll too fast",
    edit: (raw) => { raw.dora.pollIntervalSeconds = 5; },
    path: "dora.pollIntervalSeconds",
    message: "dora.pollIntervalSeconds: found number 5; expected at least 60 seconds, to stay within the API rate limit",
  },
  {
    what: 'malformed YAML',
    yaml: "name: anvila\n  region: [",
    path: "line 2, column 9",
    message: "line 2, column 9: found malformed YAML (bad indentation of a mapping entry); fix the YAML syntax there",
  },
  {
    what: 'malformed YAML',
    yaml: "name: anvila\nname: other\n",
    path: "line 2, column 1",
    message: "line 2, column 1: found malformed YAML (duplicated mapping key); fix the YAML syntax there",
  },
  {
    what: 'malformed YAML',
    yaml: "- just\n- a list\n",
    path: "",
    message: "(root): found a list of 2; expected a mapping of platform settings (name, region, host, services, alerting)",
  },
];
