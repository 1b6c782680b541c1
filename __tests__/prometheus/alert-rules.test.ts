import { ALERT_CATALOG } from '../../lib/alerting/catalog';
import { hostInstanceName } from '../../lib/prometheus/scrape-config';
import { series, type AlertRuleTest, type InputSeries, type PromtoolTestCase } from '../../gameday/promtool';
import { DEFAULT_CONFIG, runPromtoolTests } from './promtool-harness';

/**
 * GIVEN the rules rendered from the default config and synthetic input series
 * WHEN promtool evaluates them
 * THEN every alert of the catalog fires in its bad case (with the labels the catalog promises) and stays quiet
 * in its good case.
 */

const HOST = hostInstanceName(DEFAULT_CONFIG);
const node = { job: 'node', instance: HOST };
const disk = { ...node, device: '/dev/nvme1n1', mountpoint: '/var/lib/lgtm', fstype: 'ext4' };
const probe = { job: 'blackbox-http', instance: 'https://api.anvila.example/health', service: 'anvila-api', environment: 'production' };
const app = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging', route: '/items', method: 'GET' };
const appTarget = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging' };
const dora = { job: 'dora-exporter', instance: HOST, repo: 'acme/anvila-api', workflow: 'deploy.yml', environment: 'production' };

const fires = (alertname: string, at: string, ...labels: Record<string, string>[]): AlertRuleTest => ({
  eval_time: at,
  alertname,
  exp_alerts: labels.map((l) => ({ exp_labels: l })),
});
const quiet = (alertname: string, at: string): AlertRuleTest => ({ eval_time: at, alertname, exp_alerts: [] });
const input = (name: string, labels: Record<string, string>, valuesText: string): InputSeries => ({ series: series(name, labels), values: valuesText });
/** The data filesystem of a 100 GB disk: size, free bytes and read-only flag, as node exporter reports them. */
const diskSeries = (avail: string, readonly = '0x300'): InputSeries[] => [
  input('node_filesystem_size_bytes', disk, '100000000000x300'),
  input('node_filesystem_avail_bytes', disk, avail),
  input('node_filesystem_readonly', disk, readonly),
];

/** Per alert: a case where it must fire and a case where it must not. */
const CASES: Record<string, PromtoolTestCase[]> = {
  HostDown: [
    { name: 'node exporter down', interval: '1m', input_series: [input('up', node, '0x10')], alert_rule_test: [quiet('HostDown', '1m'), fires('HostDown', '5m', { ...node, severity: 'critical' })] },
    { name: 'node exporter never scraped (absent)', interval: '1m', input_series: [input('up', { job: 'prometheus', instance: HOST }, '1x10')], alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })] },
    { name: 'node exporter up', interval: '1m', input_series: [input('up', node, '1x10')], alert_rule_test: [quiet('HostDown', '5m')] },
  ],
  HostHighCpu: [
    {
      name: 'CPU pressure for 30 minutes, then idle again',
      interval: '1m',
      // idle counter grows 3s per minute under pressure (95% busy), 60s per minute when idle
      input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+3x30 150+60x40')],
      alert_rule_test: [
        quiet('HostHighCpu', '10m'), // pending: pressure not yet sustained for 10 minutes
        fires('HostHighCpu', '20m', { instance: HOST, severity: 'warning' }),
        fires('HostHighCpu', '30m', { instance: HOST, severity: 'warning' }),
        quiet('HostHighCpu', '40m'), // resolved once the pressure ended
      ],
    },
    { name: 'idle CPU', interval: '1m', input_series: [input('node_cpu_seconds_total', { ...node, cpu: '0', mode: 'idle' }, '0+60x30')], alert_rule_test: [quiet('HostHighCpu', '25m')] },
  ],
  HostHighMemory: [
    {
      name: 'memory 95% used',
      interval: '1m',
      input_series: [input('node_memory_MemTotal_bytes', node, '1000x30'), input('node_memory_MemAvailable_bytes', node, '50x30')],
      alert_rule_test: [fires('HostHighMemory', '15m', { ...node, severity: 'warning' })],
    },
    {
      name: 'memory 50% used',
      interval: '1m',
      input_series: [input('node_memory_MemTotal_bytes', node, '1000x30'), input('node_memory_MemAvailable_bytes', node, '500x30')],
      alert_rule_test: [quiet('HostHighMemory', '15m')],
    },
  ],
  HostDiskFillingUp: [
    {
      name: 'disk losing 6 GB an hour: predicted full within 24h long before it is full',
      interval: '1m',
      // 100 GB disk, 38 GB free, 100 MB less every minute: full after about 6 hours
      input_series: diskSeries('38000000000-100000000x300'),
      alert_rule_test: [
        fires('HostDiskFillingUp', '2h', { ...disk, severity: 'warning' }),
        quiet('HostDiskAlmostFull', '2h'), // 74% used: the threshold alert would still be silent
      ],
    },
    {
      name: 'disk usage flat',
      interval: '1m',
      input_series: diskSeries('38000000000x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '4h')],
    },
    {
      name: 'a mostly empty disk taking a burst of writes: above the free-space floor, so no prediction alert',
      interval: '1m',
      input_series: diskSeries('90000000000-100000000x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '2h')],
    },
    {
      name: 'a read-only filesystem cannot fill up',
      interval: '1m',
      input_series: diskSeries('38000000000-100000000x300', '1x300'),
      alert_rule_test: [quiet('HostDiskFillingUp', '2h')],
    },
  ],
  HostDiskAlmostFull: [
    {
      name: 'disk 90% used',
      interval: '1m',
      input_series: [input('node_filesystem_size_bytes', disk, '100000000000x20'), input('node_filesystem_avail_bytes', disk, '10000000000x20')],
      alert_rule_test: [fires('HostDiskAlmostFull', '10m', { ...disk, severity: 'warning' })],
    },
    {
      name: 'disk 50% used',
      interval: '1m',
      input_series: [input('node_filesystem_size_bytes', disk, '100000000000x20'), input('node_filesystem_avail_bytes', disk, '50000000000x20')],
      alert_rule_test: [quiet('HostDiskAlmostFull', '10m')],
    },
  ],
  ProbeFailing: [
    { name: 'probe failing', interval: '1m', input_series: [input('probe_success', probe, '0x20')], alert_rule_test: [fires('ProbeFailing', '10m', { ...probe, severity: 'critical' })] },
    { name: 'one failed probe among successes', interval: '1m', input_series: [input('probe_success', probe, '1x5 0 1x14')], alert_rule_test: [quiet('ProbeFailing', '8m')] },
  ],
  ProbeSlow: [
    { name: 'probe takes 2.5s', interval: '1m', input_series: [input('probe_duration_seconds', probe, '2.5x20')], alert_rule_test: [fires('ProbeSlow', '15m', { ...probe, severity: 'warning' })] },
    { name: 'probe takes 0.2s', interval: '1m', input_series: [input('probe_duration_seconds', probe, '0.2x20')], alert_rule_test: [quiet('ProbeSlow', '15m')] },
  ],
  TlsCertificateExpiring: [
    // promtool's clock starts at 0, so the expiry timestamp is seconds after the start of the test
    { name: 'certificate expires in 5 days', interval: '1m', input_series: [input('probe_ssl_earliest_cert_expiry', probe, '432000x30')], alert_rule_test: [fires('TlsCertificateExpiring', '20m', { ...probe, severity: 'warning' })] },
    { name: 'certificate expires in 90 days', interval: '1m', input_series: [input('probe_ssl_earliest_cert_expiry', probe, '7776000x30')], alert_rule_test: [quiet('TlsCertificateExpiring', '20m')] },
  ],
  App5xxRatioHigh: [
    {
      name: '9% of requests fail',
      interval: '1m',
      input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+60x30')],
      alert_rule_test: [fires('App5xxRatioHigh', '15m', { service: 'anvila-api', environment: 'staging', severity: 'warning' })],
    },
    {
      name: '1% of requests fail',
      interval: '1m',
      input_series: [input('http_requests_total', { ...app, status: '200' }, '0+600x30'), input('http_requests_total', { ...app, status: '500' }, '0+6x30')],
      alert_rule_test: [quiet('App5xxRatioHigh', '15m')],
    },
  ],
  AppTargetDown: [
    {
      name: 'app metrics target down',
      interval: '1m',
      input_series: [input('up', appTarget, '0x15')],
      alert_rule_test: [quiet('AppTargetDown', '3m'), fires('AppTargetDown', '10m', { ...appTarget, severity: 'warning' })],
    },
    {
      // The scrape job lost the target (or was never loaded): no up series at all, so every SLI of it is blind.
      name: 'app metrics target absent',
      interval: '1m',
      input_series: [input('up', node, '1x15')],
      alert_rule_test: [fires('AppTargetDown', '10m', { job: 'app', service: 'anvila-api', environment: 'staging', severity: 'warning' })],
    },
    { name: 'app metrics target up', interval: '1m', input_series: [input('up', appTarget, '1x15')], alert_rule_test: [quiet('AppTargetDown', '10m')] },
  ],
  SLOBurnRateFast: [
    {
      name: 'probe down for 10 minutes after a healthy hour',
      interval: '1m',
      input_series: [input('probe_success', probe, '1x60 0x10 1x10')],
      alert_rule_test: [
        quiet('SLOBurnRateFast', '60m'),
        fires('SLOBurnRateFast', '70m', { service: 'anvila-api', environment: 'production', slo: 'availability', severity: 'critical' }),
      ],
    },
    { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x80')], alert_rule_test: [quiet('SLOBurnRateFast', '70m')] },
  ],
  SLOBurnRateSlow: [
    {
      name: 'one probe in ten fails for 3 hours',
      interval: '1m',
      input_series: [input('probe_success', probe, `1x60 ${Array.from({ length: 18 }, () => '1x8 0').join(' ')}`)],
      alert_rule_test: [
        fires('SLOBurnRateSlow', '240m', { service: 'anvila-api', environment: 'production', slo: 'availability', severity: 'warning' }),
      ],
    },
    { name: 'probe healthy', interval: '1m', input_series: [input('probe_success', probe, '1x240')], alert_rule_test: [quiet('SLOBurnRateSlow', '240m')] },
  ],
  DoraChangeFailureRateHigh: [
    {
      name: '50% change failure rate over 30d (and 90% over 7d, which is not what the alert reads)',
      interval: '5m',
      input_series: [input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.5x20'), input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20')],
      alert_rule_test: [fires('DoraChangeFailureRateHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
    },
    {
      name: '10% change failure rate over 30d',
      interval: '5m',
      input_series: [input('dora_change_failure_rate_ratio', { ...dora, window: '30d' }, '0.1x20'), input('dora_change_failure_rate_ratio', { ...dora, window: '7d' }, '0.9x20')],
      alert_rule_test: [quiet('DoraChangeFailureRateHigh', '40m')],
    },
  ],
  DoraTimeToRestoreHigh: [
    {
      name: 'median time to restore 48h',
      interval: '5m',
      input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '172800x20')],
      alert_rule_test: [fires('DoraTimeToRestoreHigh', '40m', { ...dora, window: '30d', severity: 'warning' })],
    },
    {
      name: 'median time to restore 1h',
      interval: '5m',
      input_series: [input('dora_time_to_restore_median_seconds', { ...dora, window: '30d' }, '3600x20')],
      alert_rule_test: [quiet('DoraTimeToRestoreHigh', '40m')],
    },
  ],
  DoraExporterDown: [
    { name: 'exporter down', interval: '1m', input_series: [input('up', { job: 'dora-exporter', instance: HOST }, '0x20')], alert_rule_test: [fires('DoraExporterDown', '15m', { job: 'dora-exporter', instance: HOST, severity: 'warning' })] },
    { name: 'exporter up', interval: '1m', input_series: [input('up', { job: 'dora-exporter', instance: HOST }, '1x20')], alert_rule_test: [quiet('DoraExporterDown', '15m')] },
  ],
  PrometheusRuleEvaluationFailures: [
    {
      name: 'a rule group fails every minute',
      interval: '1m',
      input_series: [input('prometheus_rule_evaluation_failures_total', { job: 'prometheus', instance: HOST, rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording' }, '0+1x30')],
      alert_rule_test: [fires('PrometheusRuleEvaluationFailures', '10m', { job: 'prometheus', instance: HOST, rule_group: '/etc/prometheus/rules/slo.yml;slo-anvila-api-recording', severity: 'critical' })],
    },
    {
      name: 'no failures',
      interval: '1m',
      input_series: [input('prometheus_rule_evaluation_failures_total', { job: 'prometheus', instance: HOST, rule_group: 'host' }, '0x30')],
      alert_rule_test: [quiet('PrometheusRuleEvaluationFailures', '10m')],
    },
  ],
  AlertmanagerNotificationsFailing: [
    {
      name: 'slack notifications fail',
      interval: '1m',
      input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: HOST, integration: 'slack' }, '0+1x30')],
      alert_rule_test: [fires('AlertmanagerNotificationsFailing', '15m', { job: 'alertmanager', instance: HOST, integration: 'slack', severity: 'critical' })],
    },
    {
      name: 'notifications succeed',
      interval: '1m',
      input_series: [input('alertmanager_notifications_failed_total', { job: 'alertmanager', instance: HOST, integration: 'slack' }, '0x30')],
      alert_rule_test: [quiet('AlertmanagerNotificationsFailing', '15m')],
    },
  ],
  PlatformComponentDown: [
    {
      name: 'loki down (and node down, which HostDown covers, not this alert)',
      interval: '1m',
      input_series: [input('up', { job: 'loki', instance: HOST }, '0x20'), input('up', node, '0x20')],
      alert_rule_test: [fires('PlatformComponentDown', '10m', { job: 'loki', instance: HOST, severity: 'warning' })],
    },
    { name: 'everything up', interval: '1m', input_series: [input('up', { job: 'loki', instance: HOST }, '1x20'), input('up', { job: 'grafana', instance: HOST }, '1x20')], alert_rule_test: [quiet('PlatformComponentDown', '10m')] },
  ],
  ConfigSyncRefused: [
    {
      name: 'a bad push of the prometheus files, refused until the fix is pushed at minute 20',
      interval: '1m',
      // the marker is only present while the bucket holds the refused files; node exporter drops it after the fix
      input_series: [input('lgtm_config_sync_refused', { ...node, group: 'prometheus' }, '_x2 1x18 stale'), input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x30')],
      alert_rule_test: [
        quiet('ConfigSyncRefused', '5m'), // pending: refused for 3 minutes only
        fires('ConfigSyncRefused', '10m', { ...node, group: 'prometheus', severity: 'warning' }),
        quiet('ConfigSyncRefused', '22m'), // the correcting push was applied
      ],
    },
    {
      name: 'a push refused for one run only (a half-uploaded deploy), then applied: no ticket',
      interval: '1m',
      input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '_x2 1x1 stale')],
      alert_rule_test: [quiet('ConfigSyncRefused', '4m'), quiet('ConfigSyncRefused', '8m')],
    },
  ],
  ConfigSyncStale: [
    {
      name: 'the sync stops at minute 5; node exporter keeps exporting the last timestamp',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x5 300x40'), input('node_boot_time_seconds', node, '-86400x45')],
      alert_rule_test: [
        quiet('ConfigSyncStale', '20m'), // 15 minutes without a run: at the threshold, not above it
        quiet('ConfigSyncStale', '24m'), // pending
        fires('ConfigSyncStale', '27m', { ...node, severity: 'warning' }),
      ],
    },
    {
      name: 'the sync series disappears (textfile gone) on a host that has been up for a day',
      interval: '1m',
      // runs every minute until minute 3, then the series vanishes (stale marker): only the absent branch can fire
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x3 stale'), input('node_boot_time_seconds', node, '-86400x20')],
      alert_rule_test: [quiet('ConfigSyncStale', '3m'), quiet('ConfigSyncStale', '8m'), fires('ConfigSyncStale', '10m', { ...node, severity: 'warning' })],
    },
    {
      name: 'a fresh host: no sync recorded during the first 14 minutes after boot, then runs every minute',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '_x14 840+60x30'), input('node_boot_time_seconds', node, '0x45')],
      alert_rule_test: [quiet('ConfigSyncStale', '10m'), quiet('ConfigSyncStale', '14m'), quiet('ConfigSyncStale', '40m')],
    },
    {
      name: 'the sync runs every minute',
      interval: '1m',
      input_series: [input('lgtm_config_sync_last_run_timestamp_seconds', node, '0+60x60'), input('node_boot_time_seconds', node, '-86400x60')],
      alert_rule_test: [quiet('ConfigSyncStale', '30m'), quiet('ConfigSyncStale', '60m')],
    },
    {
      name: 'node exporter not scraped at all: HostDown, not this alert',
      interval: '1m',
      input_series: [input('up', node, '0x40')],
      alert_rule_test: [quiet('ConfigSyncStale', '30m')],
    },
  ],
};

describe('alert catalog rules under promtool', () => {
  it('GIVEN the catalog THEN every alert has a firing and a non-firing case', () => {
    for (const def of ALERT_CATALOG) {
      const tests = (CASES[def.name] ?? []).flatMap((c) => c.alert_rule_test ?? []).filter((t) => t.alertname === def.name);
      expect({ alert: def.name, firing: tests.some((t) => t.exp_alerts.length > 0) }).toEqual({ alert: def.name, firing: true });
      expect({ alert: def.name, quiet: tests.some((t) => t.exp_alerts.length === 0) }).toEqual({ alert: def.name, quiet: true });
    }
  });

  it('GIVEN the firing labels in the cases THEN they are exactly the catalog labels plus severity', () => {
    for (const def of ALERT_CATALOG) {
      for (const test of (CASES[def.name] ?? []).flatMap((c) => c.alert_rule_test ?? []).filter((t) => t.alertname === def.name)) {
        for (const exp of test.exp_alerts) {
          for (const label of [...def.labels, 'severity']) expect({ alert: def.name, label, present: label in exp.exp_labels }).toEqual({ alert: def.name, label, present: true });
          expect(exp.exp_labels.severity).toBe(def.severity);
        }
      }
    }
  });

  it.each(Object.keys(CASES))('WHEN promtool runs the cases of %s THEN they pass', (name) => {
    const result = runPromtoolTests(CASES[name]);
    if (result.status !== 0) throw new Error(`promtool test rules failed for ${name}:\n${result.output}`);
    expect(result.status).toBe(0);
  });

  it('GIVEN a wrong expectation WHEN promtool runs THEN it fails (the harness can fail)', () => {
    const wrong: PromtoolTestCase = { name: 'node up yet HostDown expected', interval: '1m', input_series: [input('up', node, '1x10')], alert_rule_test: [fires('HostDown', '5m', { ...node, severity: 'critical' })] };
    const result = runPromtoolTests([wrong]);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/HostDown/);
  });

  it('GIVEN the rendered annotations WHEN ProbeSlow fires THEN summary, description, value, runbook and dashboard links are exact', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ProbeSlow',
          interval: '1m',
          input_series: [input('probe_duration_seconds', probe, '2.5x20')],
          alert_rule_test: [
            {
              eval_time: '15m',
              alertname: 'ProbeSlow',
              exp_alerts: [
                {
                  exp_labels: { ...probe, severity: 'warning' },
                  exp_annotations: {
                    summary: 'anvila-api (production) answers its probe slowly',
                    description: 'The blackbox probe of https://api.anvila.example/health has taken 2.5s on average over 5 minutes.',
                    value: '2.5s average probe duration (5m)',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ProbeSlow.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-uptime?var-service=anvila-api&var-environment=production',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a refused push WHEN ConfigSyncRefused fires THEN its description names the group and where to look on the host', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of ConfigSyncRefused',
          interval: '1m',
          input_series: [input('lgtm_config_sync_refused', { ...node, group: 'alertmanager' }, '1x10')],
          alert_rule_test: [
            {
              eval_time: '6m',
              alertname: 'ConfigSyncRefused',
              exp_alerts: [
                {
                  exp_labels: { ...node, group: 'alertmanager', severity: 'warning' },
                  exp_annotations: {
                    summary: `The host ${HOST} refuses the pushed alertmanager configuration`,
                    description:
                      `The config sync on ${HOST} has refused the alertmanager files in the config bucket for 5 minutes (lgtm_config_sync_refused = 1): ` +
                      'they failed their checker, so alertmanager keeps running the last good files and the pushed change is not live. ' +
                      'Why: journalctl -u lgtm-sync on the host, and the checker output in /var/lib/lgtm-sync/rejected/alertmanager/reason.txt.',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/ConfigSyncRefused.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-platform',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('GIVEN a total outage from the start WHEN SLOBurnRateFast fires THEN its description shows the burn rate and, via query, the budget left', () => {
    const result = runPromtoolTests(
      [
        {
          name: 'annotations of SLOBurnRateFast',
          interval: '1m',
          input_series: [input('probe_success', probe, '0x10')],
          alert_rule_test: [
            {
              eval_time: '5m',
              alertname: 'SLOBurnRateFast',
              exp_alerts: [
                {
                  exp_labels: { service: 'anvila-api', environment: 'production', slo: 'availability', severity: 'critical' },
                  exp_annotations: {
                    summary: 'anvila-api (production) burns its availability error budget fast',
                    // error ratio 1 against a 0.5% budget: 200x; the whole window so far was an outage: 1 - 200 = -19900% left
                    description:
                      'The availability SLO of anvila-api in production burns its error budget at 200x the sustainable rate; at this pace the budget is gone within days. Error budget left: -1.99e+04%.',
                    value: '200x burn rate',
                    runbook_url: 'https://github.com/acme/anvila-observability/blob/main/runbooks/SLOBurnRateFast.md',
                    dashboard_url: 'http://203.0.113.10:3000/d/lgtm-slo?var-service=anvila-api&var-environment=production&var-slo=availability',
                  },
                },
              ],
            },
          ],
        },
      ],
      { keepAnnotations: true },
    );
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });
});
