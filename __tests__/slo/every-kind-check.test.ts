import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validatePlatformConfig } from '../../lib/config/loader';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { addImportedSlos, importOpenSlo } from '../../lib/slo/openslo';
import { CONTEXT, DEFAULT_CONFIG } from '../prometheus/promtool-harness';
import { compilePlatform } from '../../lib/model/compile';

/**
 * One config with every SLI kind, every metric convention, the low-traffic guard, expansion by a label and an
 * OpenSLO import: its rule files must pass
 * `promtool check rules` (the program that will load them on the host), not only our PromQL grammar check.
 */
function everyKindConfig() {
  const raw = structuredClone(DEFAULT_CONFIG) as any;
  const ratio = { errors: 'rate(rpc_requests_total{code="error"}[{{window}}])', total: 'rate(rpc_requests_total[{{window}}])' };
  raw.services.push(
    {
      name: 'billing',
      team: 'payments "core"',
      labels: { tier: 'gold' },
      environments: [{ name: 'production', probeUrl: 'https://billing.example/health' }],
      slos: [
        { name: 'ratio', objective: 99.5, sli: { ratio } },
        { name: 'good', objective: 99.5, sli: { ratio: { good: 'rate(jobs_total{outcome="done"}[{{window}}])', total: 'rate(jobs_total[{{window}}])' } } },
        {
          name: 'classic',
          objective: 99,
          window: '7d',
          sli: { latency: { threshold: 0.3, metric: 'rpc_seconds', buckets: [0.1, 0.3], matchers: 'route!="/health"' } },
        },
        { name: 'native', objective: 99, sli: { latency: { threshold: 0.3, metric: 'rpc_seconds', native: true } }, minEventRate: 0.5 },
        { name: 'per-route', objective: 99.5, sli: { ratio }, expandBy: ['route'], minEventRate: 1 },
        {
          name: 'gauge',
          objective: 99.5,
          sli: { boolGauge: { metric: 'queue_ok', matchers: 'queue=~"a|b"' } },
          severities: { fast: 'warning' },
          labels: { pager: 'queue' },
        },
      ],
    },
    {
      name: 'checkout',
      metricConvention: 'opentelemetry',
      environments: [{ name: 'production', probeUrl: 'https://checkout.example/health' }],
      slos: [
        { name: 'requests', objective: 99.9, sli: 'errors' },
        { name: 'latency', objective: 99, sli: { latency: { threshold: 0.25 } } },
      ],
    },
    {
      name: 'ledger',
      metricConvention: { requests: 'rpc_calls_total', statusLabel: 'code', durationHistogram: 'rpc_call_seconds', matchers: 'job="ledger"' },
      environments: [{ name: 'production', probeUrl: 'https://ledger.example/health' }],
      slos: [{ name: 'requests', objective: 99.5, sli: 'errors' }],
    },
  );
  const file = join(__dirname, '..', 'fixtures', 'openslo', 'anvila-api.yaml');
  addImportedSlos(raw, importOpenSlo(readFileSync(file, 'utf8'), file), file);
  return validatePlatformConfig(raw, 'config/platform.yaml');
}

describe('rules of every SLI kind and metric convention', () => {
  it('GIVEN a config with each kind, each convention and imported OpenSLO SLOs THEN promtool check rules accepts every rule file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'issue-22-check-'));
    try {
      const files = renderRuleFiles(compilePlatform(everyKindConfig()), CONTEXT).filter((f) => f.path.startsWith('/etc/prometheus/rules/'));
      const paths = files.map((f, i) => {
        const path = join(dir, `${i}-${f.path.split('/').pop()}`);
        writeFileSync(path, f.content);
        return path;
      });
      const result = spawnSync('promtool', ['check', 'rules', ...paths], { encoding: 'utf8' });
      if (result.error) throw result.error;
      if (result.status !== 0) throw new Error(`${result.stdout}\n${result.stderr}`);
      expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
