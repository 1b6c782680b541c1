import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { checkCustomRules } from '../../lib/checks/custom-rules';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { renderPrometheusFiles } from '../../lib/prometheus/rule-files';
import { PROMETHEUS_RULES_GLOB, renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { platformConfig } from '../helpers/platform-fixtures';
import { configErrorOf } from '../helpers/config-errors';
import { CONTEXT, runPromtoolTests } from './promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

const QUEUE_ALERT = {
  name: 'CheckoutQueueBacklog',
  expr: 'service:checkout_queue_depth:max > 100',
  for: '10m',
  severity: 'warning',
  summary: 'checkout queue of {{ $labels.service }} is backing up',
  runbookUrl: 'https://wiki.example/runbooks/checkout-queue',
  dashboardUrl: 'https://grafana.example/d/checkout',
  labels: { team: 'payments' },
};
const QUEUE_RECORDING = { record: 'service:checkout_queue_depth:max', expr: 'max by (service, environment) (checkout_queue_depth)' };
const STATIC_JOB = { name: 'checkout-worker', service: 'anvila-api', environment: 'production', targets: ['10.0.1.20:9102'] };
const EC2_JOB = {
  name: 'checkout-fleet',
  service: 'anvila-api',
  environment: 'staging',
  metricsPath: '/stats',
  ec2: { tag: { Role: 'checkout' }, port: 9102 },
};

const extended = () =>
  platformConfig((raw) => {
    raw.rules = { alerts: [QUEUE_ALERT], recording: [QUEUE_RECORDING] };
    raw.scrapeJobs = [STATIC_JOB, EC2_JOB];
  });

describe('GIVEN custom alert and recording rules in the description', () => {
  const files = renderPrometheusFiles(compilePlatform(extended()), CONTEXT);
  const custom = files.find((f) => f.path === '/etc/prometheus/rules/custom.yml');

  it("THEN they are rendered into custom.yml with the platform's labels and annotations", () => {
    expect(yaml.load(custom!.content)).toEqual({
      groups: [
        { name: 'custom-recording', rules: [QUEUE_RECORDING] },
        {
          name: 'custom-alerts',
          rules: [
            {
              alert: 'CheckoutQueueBacklog',
              expr: QUEUE_ALERT.expr,
              for: '10m',
              labels: { team: 'payments', severity: 'warning' },
              annotations: {
                summary: QUEUE_ALERT.summary,
                description: QUEUE_ALERT.summary,
                runbook_url: QUEUE_ALERT.runbookUrl,
                dashboard_url: QUEUE_ALERT.dashboardUrl,
              },
            },
          ],
        },
      ],
    });
  });

  it('THEN the alert fires under promtool after the recording rule records the backlog', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'custom queue alert',
          interval: '1m',
          input_series: [{ series: 'checkout_queue_depth{service="anvila-api",environment="production",instance="w1"}', values: '500x30' }],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'CheckoutQueueBacklog', exp_alerts: [] },
            {
              eval_time: '20m',
              alertname: 'CheckoutQueueBacklog',
              exp_alerts: [{ exp_labels: { service: 'anvila-api', environment: 'production', team: 'payments', severity: 'warning' } }],
            },
          ],
        },
      ],
      { config: extended() },
    );
    if (result.status !== 0) throw new Error(result.output);
  });

  it('THEN PromQL Prometheus would refuse is refused at validation, naming the path', () => {
    const error = configErrorOf(() => platformConfig((raw) => (raw.rules = { alerts: [{ ...QUEUE_ALERT, expr: 'rate(checkout_queue_depth[5m]' }] })));
    expect(error.path).toBe('rules.alerts[0].expr');
    expect(error.allowed).toMatch(/^expected the alert expression that Prometheus accepts: /);
  });

  it('THEN a name of a platform alert, a non-UpperCamelCase name and a missing runbook are refused', () => {
    const clash = platformConfig((raw) => (raw.rules = { alerts: [{ ...QUEUE_ALERT, name: 'HostDown' }] }));
    expect(() => checkCustomRules(clash, 'platform.yaml')).toThrow(
      'platform.yaml: rules.alerts[0].name: found "HostDown"; expected an alert name not used by the platform',
    );
    expect(configErrorOf(() => platformConfig((raw) => (raw.rules = { alerts: [{ ...QUEUE_ALERT, name: 'checkout_backlog' }] }))).path).toBe(
      'rules.alerts[0].name',
    );
    const { runbookUrl: _omitted, ...withoutRunbook } = QUEUE_ALERT;
    expect(configErrorOf(() => platformConfig((raw) => (raw.rules = { alerts: [withoutRunbook] }))).message).toContain(
      'rules.alerts[0].runbookUrl: found nothing; this key is required',
    );
  });

  it("THEN a misspelt series of the platform's own (slo:, dora_) is refused, and the user's metrics are not second-guessed", () => {
    const typo = platformConfig((raw) => (raw.rules = { alerts: [{ ...QUEUE_ALERT, expr: 'slo:error_budget:ratoi < 0.1' }] }));
    expect(() => checkCustomRules(typo, 'platform.yaml')).toThrow(
      'platform.yaml: rules.alerts[0].expr: found metric "slo:error_budget:ratoi", which nothing on the platform produces',
    );
    expect(() =>
      checkCustomRules(
        platformConfig((raw) => (raw.rules = { alerts: [{ ...QUEUE_ALERT, expr: 'slo:error_budget:ratio < 0.1' }] })),
        'platform.yaml',
      ),
    ).not.toThrow();
    expect(() => checkCustomRules(extended(), 'platform.yaml')).not.toThrow();
  });
});

describe('GIVEN extra scrape jobs in the description', () => {
  type Job = { job_name: string; metrics_path?: string; static_configs?: unknown[]; ec2_sd_configs?: unknown[]; relabel_configs?: unknown[] };
  const jobs = (yaml.load(renderPrometheusConfig(extended(), CONTEXT)) as { scrape_configs: Job[] }).scrape_configs;

  it('THEN a static job labels its targets with service and environment', () => {
    expect(jobs.find((j) => j.job_name === 'checkout-worker')).toMatchObject({
      static_configs: [{ targets: ['10.0.1.20:9102'], labels: { service: 'anvila-api', environment: 'production' } }],
      sample_limit: 10000,
    });
  });

  it('THEN an EC2 job discovers running tagged instances and labels them the same way', () => {
    expect(jobs.find((j) => j.job_name === 'checkout-fleet')).toMatchObject({
      metrics_path: '/stats',
      ec2_sd_configs: [{ region: 'us-east-1', port: 9102, filters: [{ name: 'tag:Role', values: ['checkout'] }] }],
      relabel_configs: expect.arrayContaining([
        { source_labels: ['__meta_ec2_instance_state'], regex: 'running', action: 'keep' },
        { target_label: 'service', replacement: 'anvila-api' },
        { target_label: 'environment', replacement: 'staging' },
      ]),
    });
  });

  it('THEN the host may call ec2:DescribeInstances for the EC2 job', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config: extended() });
    expect(Testing.synth(platform.infra)).toContain('ec2:DescribeInstances');
  });

  it('THEN promtool check config accepts the rendered prometheus.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'custom-jobs-'));
    try {
      for (const file of renderPrometheusFiles(compilePlatform(extended()), CONTEXT)) {
        const path = join(dir, file.path);
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(
          path,
          file.path.endsWith('prometheus.yml') ? file.content.replace(PROMETHEUS_RULES_GLOB, join(dir, PROMETHEUS_RULES_GLOB)) : file.content,
        );
      }
      const result = spawnSync('promtool', ['check', 'config', join(dir, 'etc/prometheus/prometheus.yml')], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`${result.stdout}\n${result.stderr}`);
      expect(result.stdout).toContain('custom.yml');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('THEN an unknown service or environment, a platform job name, or both targets and ec2 are refused, naming the path', () => {
    const bad = (job: object) => configErrorOf(() => platformConfig((raw) => (raw.scrapeJobs = [job])));
    expect(bad({ ...STATIC_JOB, service: 'nope' }).message).toBe(
      'test config: scrapeJobs[0].service: found "nope"; expected one of the configured services: anvila-api',
    );
    expect(bad({ ...STATIC_JOB, environment: 'qa' }).message).toBe(
      'test config: scrapeJobs[0].environment: found "qa"; expected an environment of anvila-api: staging, production',
    );
    expect(bad({ ...STATIC_JOB, name: 'node' }).path).toBe('scrapeJobs[0].name');
    expect(bad({ ...STATIC_JOB, ec2: EC2_JOB.ec2 }).allowed).toBe('a scrape job takes exactly one of targets or ec2');
  });
});
