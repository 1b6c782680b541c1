import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { validatePlatformConfig } from '../../lib/config/loader';
import { hostInstanceName } from '../../lib/prometheus/scrape-config';
import { diskFillPlan } from '../../lib/gameday/host-pressure';
import { gamedayScenarios } from '../../lib/gameday/scenarios';
import { DEFAULT_CONFIG_FILE, loadConfig } from './support';

const config = loadConfig(DEFAULT_CONFIG_FILE);
const scenarios = gamedayScenarios(config);

describe('game days of the default config (anvila-api: staging with metrics, production probe-only)', () => {
  it('GIVEN the default config THEN every family has its scenarios, for every service, environment and SLO it has', () => {
    expect(scenarios.map((s) => s.name)).toEqual([
      'quiet-baseline',
      'service-outage/anvila-api/staging',
      'service-outage/anvila-api/production',
      'error-spike/anvila-api/staging',
      'latency-degradation/anvila-api/staging',
      'slow-burn/anvila-api/staging/availability',
      'slow-burn/anvila-api/production/availability',
      'slow-burn/anvila-api/staging/requests',
      'slow-burn/anvila-api/staging/latency',
      'host-pressure/cpu',
      'host-pressure/disk-fill',
      'host-pressure/disk-fill-fast',
      'host-pressure/unit-crash-loop',
      'platform-self-failure/alertmanager-notifications',
      'platform-self-failure/rule-evaluation-failures',
      'platform-self-failure/config-push-refused',
      'platform-self-failure/config-sync-stopped',
      ...['prometheus', 'alertmanager', 'blackbox-exporter', 'loki', 'tempo', 'otelcol', 'grafana'].map((job) => `platform-self-failure/${job}-down`),
    ]);
  });

  // every scenario of the default config runs through promtool in report.test.ts (npm run gameday end to end)

  it('GIVEN an outage THEN the expectations name the real labels (probe URL as instance) and both alerts must resolve', () => {
    const outage = scenarios.find((s) => s.name === 'service-outage/anvila-api/production')!;
    expect(outage.mustFire).toEqual([
      expect.objectContaining({
        alertname: 'ProbeFailing',
        labels: {
          job: 'blackbox-http',
          instance: 'https://api.anvila.example/health',
          service: 'anvila-api',
          environment: 'production',
          team: 'platform',
          severity: 'critical',
        },
      }),
      expect.objectContaining({
        alertname: 'SLOBurnRateFast',
        labels: { service: 'anvila-api', environment: 'production', slo: 'availability', sli: 'probe', team: 'platform', severity: 'critical' },
      }),
    ]);
    expect(outage.mustResolve.map((r) => r.alertname)).toEqual(['ProbeFailing', 'SLOBurnRateFast']);
    expect(outage.input.some((i) => i.series.startsWith(`up{job="node",instance="${hostInstanceName(config)}"}`))).toBe(true);
  });

  it('GIVEN a slow burn THEN only SLOBurnRateSlow may fire: SLOBurnRateFast is in mustStayQuiet; the quiet baseline keeps the whole catalog quiet', () => {
    for (const s of scenarios.filter((x) => x.family === 'slow-burn')) {
      expect(s.mustFire.map((f) => f.alertname)).toEqual(['SLOBurnRateSlow']);
      expect(s.mustStayQuiet).toContain('SLOBurnRateFast');
    }
    expect(scenarios[0].mustStayQuiet).toEqual(ALERT_CATALOG.map((a) => a.name));
  });

  it('GIVEN a filling disk THEN HostDiskFillingUp must fire long before the disk is full, while HostDiskAlmostFull stays quiet', () => {
    const disk = scenarios.find((s) => s.name === 'host-pressure/disk-fill')!;
    const plan = diskFillPlan(config);
    expect(disk.mustFire.map((f) => [f.alertname, f.by])).toEqual([['HostDiskFillingUp', plan.by]]);
    expect(plan.by).toBeLessThan(plan.fullAt);
    expect(100 * (1 - plan.free(disk.minutes))).toBeLessThan(config.alerting.thresholds.diskPercent);
    expect(disk.mustStayQuiet).toContain('HostDiskAlmostFull');
    expect(disk.mustStayQuiet).toContain('HostDiskFillingUpCritical');
    const cpu = scenarios.find((s) => s.name === 'host-pressure/cpu')!;
    expect(cpu.mustResolve[0].by).toBeGreaterThan(cpu.mustFire[0].by);
    expect(cpu.mustStayQuiet).toContain('HostHighCpuCritical'); // busy between the tiers: a ticket, no page
  });

  it('GIVEN a disk filling within hours THEN the critical tier must page before it is full', () => {
    const disk = scenarios.find((s) => s.name === 'host-pressure/disk-fill-fast')!;
    const plan = diskFillPlan(config, 'critical');
    expect(disk.mustFire).toEqual([
      expect.objectContaining({ alertname: 'HostDiskFillingUpCritical', by: plan.by, labels: expect.objectContaining({ severity: 'critical' }) }),
    ]);
    expect(plan.by).toBeLessThan(plan.fullAt);
    expect(plan.initialFree * 100).toBeLessThan(config.alerting.thresholds.diskFillingCriticalFreePercent);
  });

  it('GIVEN a crash-looping unit THEN HostUnitCrashLooping fires and resolves for that unit, and HostUnitFailed stays quiet', () => {
    const loop = scenarios.find((s) => s.name === 'host-pressure/unit-crash-loop')!;
    expect(loop.mustFire).toEqual([
      expect.objectContaining({
        alertname: 'HostUnitCrashLooping',
        labels: { job: 'node', instance: hostInstanceName(config), name: 'loki.service', severity: 'warning' },
      }),
    ]);
    expect(loop.mustResolve.map((r) => r.alertname)).toEqual(['HostUnitCrashLooping']);
    expect(loop.mustStayQuiet).toContain('HostUnitFailed');
    expect(loop.input.some((i) => i.series.startsWith('node_systemd_service_restart_total{job="node",instance="anvila-monitoring",name="loki.service"}'))).toBe(
      true,
    );
  });

  it('GIVEN a config with one more service THEN it gets its own game days with no code change', () => {
    const raw = structuredClone(config) as unknown as { services: unknown[] };
    raw.services.push({
      name: 'billing',
      environments: [{ name: 'production', probeUrl: 'https://billing.example/health', metricsTarget: '10.0.3.3:9100' }],
      slos: [{ name: 'errors', objective: 99, sli: 'errors' }],
    });
    const names = gamedayScenarios(validatePlatformConfig(raw)).map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(['service-outage/billing/production', 'error-spike/billing/production', 'slow-burn/billing/production/errors']),
    );
    expect(names).not.toContain('latency-degradation/billing/production');
  });
});
