import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { validatePlatformConfig } from '../../lib/config/loader';
import { promqlProblems } from '../../lib/promql/validate';
import { addImportedSlos, importOpenSlo } from '../../lib/slo/openslo';
import { sloRecordingRules } from '../../lib/slo/slo-rules';
import { DEFAULT_CONFIG } from '../prometheus/promtool-harness';

const FILE = 'anvila-api.openslo.yaml';
const FIXTURE = readFileSync(join(__dirname, '..', 'fixtures', 'openslo', 'anvila-api.yaml'), 'utf8');

/** The fixture with `edit` applied to its documents. */
function edited(edit: (docs: any[]) => void): string {
  const docs = yaml.loadAll(FIXTURE) as any[];
  edit(docs);
  return docs.map((d) => yaml.dump(d)).join('---\n');
}

function rejection(text: string): string {
  try {
    importOpenSlo(text, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('OpenSLO v1 import', () => {
  it('GIVEN SLO documents with ratio (by reference and inline) and threshold indicators THEN each becomes a platform SLO of its service', () => {
    const imported = importOpenSlo(FIXTURE, FILE);
    expect(imported.map((i) => ({ service: i.service, ...i.slo }))).toEqual([
      {
        service: 'anvila-api',
        name: 'checkout',
        objective: 99.5,
        window: '28d',
        description: 'Checkouts that succeed',
        sli: {
          ratio: {
            good: 'sum by (service, environment) (rate(checkout_total{service="anvila-api",outcome="ok"}[{{window}}]))',
            total: 'sum by (service, environment) (rate(checkout_total{service="anvila-api"}[{{window}}]))',
          },
        },
      },
      {
        service: 'anvila-api',
        name: 'search-errors',
        objective: 99,
        window: '7d',
        description: 'Search requests that do not fail',
        sli: {
          ratio: {
            errors: 'rate(http_requests_total{service="anvila-api",route="/search",status=~"5.."}[{{window}}])',
            total: 'rate(http_requests_total{service="anvila-api",route="/search"}[{{window}}])',
          },
        },
      },
      {
        service: 'anvila-api',
        name: 'queue-lag',
        objective: 99,
        window: '30d',
        sli: {
          ratio: {
            good: 'sum_over_time(((max by (service, environment) (queue_lag_seconds{service="anvila-api"})) <= bool 60)[{{window}}:1m])',
            total: 'count_over_time(((max by (service, environment) (queue_lag_seconds{service="anvila-api"})) <= bool 60)[{{window}}:1m])',
          },
        },
      },
    ]);
  });

  it('GIVEN the imported SLOs added to the default config THEN the platform accepts them and every recording rule passes the PromQL grammar', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    addImportedSlos(raw, importOpenSlo(FIXTURE, FILE), FILE);
    const config = validatePlatformConfig(raw, 'config/platform.yaml');
    const service = config.services[0];
    expect(service.slos.map((s) => s.name)).toEqual(['availability', 'requests', 'latency', 'checkout', 'search-errors', 'queue-lag']);
    for (const slo of service.slos.slice(3))
      for (const rule of sloRecordingRules(service, slo))
        expect({ slo: slo.name, record: rule.record, problems: promqlProblems(rule.expr) }).toEqual({ slo: slo.name, record: rule.record, problems: [] });
  });

  it('GIVEN an SLO of a service the description lacks THEN the import names the document and the services there are', () => {
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    const imported = importOpenSlo(
      edited((docs) => {
        docs[2].spec.service = 'billing';
      }),
      FILE,
    );
    expect(() => addImportedSlos(raw, imported, FILE)).toThrow(
      'anvila-api.openslo.yaml: documents[2].spec.service: found "billing"; expected a service of the platform description: anvila-api',
    );
  });

  it.each<[string, (docs: any[]) => void, string]>([
    [
      'an alert policy',
      (docs) => docs.push({ apiVersion: 'openslo/v1', kind: 'AlertPolicy', metadata: { name: 'x' }, spec: {} }),
      'documents[5].kind: found "AlertPolicy"; expected SLO, SLI or Service: alerting comes from the platform (multi-window burn-rate alerts, alerting.* routing), so alert documents are not imported; remove them',
    ],
    [
      'another API version',
      (docs) => {
        docs[2].apiVersion = 'openslo/v2alpha';
      },
      'documents[2].apiVersion: found "openslo/v2alpha"; expected openslo/v1 (v1alpha and v2 documents are not read)',
    ],
    [
      'a metric source other than Prometheus',
      (docs) => {
        docs[1].spec.ratioMetric.good.metricSource.type = 'Datadog';
      },
      'documents[1].spec.ratioMetric.good.metricSource.type: found "Datadog"; expected Prometheus: the platform evaluates SLIs in its own Prometheus',
    ],
    [
      'two objectives',
      (docs) => {
        docs[3].spec.objectives.push({ targetPercent: 95 });
      },
      'documents[3].spec.objectives: found a list of 2; expected exactly one objective (write one SLO document per objective)',
    ],
    [
      'a calendar window',
      (docs) => {
        docs[4].spec.timeWindow[0].isRolling = false;
      },
      'documents[4].spec.timeWindow[0].isRolling: found boolean false; expected true: the platform keeps rolling windows only (no calendar windows)',
    ],
    [
      'time-slice budgeting',
      (docs) => {
        docs[2].spec.budgetingMethod = 'Timeslices';
      },
      'documents[2].spec.budgetingMethod: found "Timeslices"; expected Occurrences: the platform budgets events, not time slices',
    ],
    [
      'a reference to a missing SLI',
      (docs) => {
        docs[2].spec.indicatorRef = 'nope';
      },
      'documents[2].spec.indicatorRef: found "nope"; expected the name of an SLI document in the same file: checkout-success',
    ],
    [
      'a ratio query with a fixed range',
      (docs) => {
        docs[3].spec.indicator.spec.ratioMetric.total.metricSource.spec.query = 'rate(http_requests_total[5m])';
      },
      'documents[3].spec.indicator.spec.ratioMetric.total.metricSource.spec.query: found "rate(http_requests_total[5m])"; expected {{window}} (or sloth\'s {{.window}}) as the range, so that each burn-rate window reads its own range',
    ],
    [
      'a threshold without op',
      (docs) => {
        delete docs[4].spec.objectives[0].op;
      },
      'documents[4].spec.objectives[0]: found a mapping; a threshold metric needs op (lt, lte, gt, gte) and a numeric value in its objective',
    ],
  ])('GIVEN %s THEN the import refuses it, naming the file, document path, found and allowed', (_, edit, message) => {
    expect(rejection(edited(edit))).toBe(`${FILE}: ${message}`);
  });

  it('GIVEN several problems THEN the message lists where the others are', () => {
    const message = rejection(
      edited((docs) => {
        docs[2].spec.budgetingMethod = 'Timeslices';
        docs[3].spec.objectives = [];
      }),
    );
    expect(message).toBe(
      `${FILE}: documents[2].spec.budgetingMethod: found "Timeslices"; expected Occurrences: the platform budgets events, not time slices (and 1 more problem: documents[3].spec.objectives)`,
    );
  });
});

describe('OpenSLO import through the public API', () => {
  it('GIVEN the package entry point THEN importOpenSlo and addImportedSlos turn an OpenSLO file into a valid platform description', async () => {
    const api = await import('../../lib');
    const raw = structuredClone(DEFAULT_CONFIG) as any;
    const before = raw.services[0].slos.length;
    api.addImportedSlos(raw, api.importOpenSlo(FIXTURE, FILE), FILE);
    const config = api.validatePlatformConfig(raw, 'config/platform.yaml');
    expect(config.services[0].slos.length).toBeGreaterThan(before);
    expect(config.services[0].slos.map((slo) => slo.name)).toContain('checkout');
  });
});
