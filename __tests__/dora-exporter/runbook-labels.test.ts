import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition } from '../../lib/gameday/deployment-failure';
import { REPO_ROOT } from '../alerting/support';
import { ENVIRONMENT, REPO, WORKFLOW } from './known-history';
import { useHarness } from './harness';

const h = useHarness();

/** The label names each DORA metric family carries once scraped (the exporter's labels plus job and instance). */
async function exposedLabels(): Promise<Map<string, Set<string>>> {
  // a poll that reads everything (for the all-repositories series), then one with a repository that cannot be read
  await h.exporter().poll();
  const e = h.exporter({
    repositories: [
      { repo: REPO, deployWorkflow: WORKFLOW, environment: ENVIRONMENT },
      { repo: 'acme/apl', deployWorkflow: WORKFLOW, environment: ENVIRONMENT },
    ],
  });
  await e.poll();
  const families = new Map<string, Set<string>>();
  for (const sample of parseExposition(await e.registry.metrics())) {
    const family = sample.name.replace(/_(bucket|sum|count)$/, '');
    const labels = families.get(family) ?? new Set(['job', 'instance']);
    for (const label of Object.keys(sample.labels)) labels.add(label);
    families.set(sample.name, labels);
    families.set(family, labels);
  }
  return families;
}

describe('the DORA runbooks', () => {
  it('filter and group only by labels the exporter exposes', async () => {
    const families = await exposedLabels();
    const problems: string[] = [];
    const dir = join(REPO_ROOT, 'runbooks');
    for (const file of readdirSync(dir).filter((f) => f.startsWith('Dora'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const [, expr] of text.matchAll(/```promql\n([\s\S]*?)\n\s*```/g)) {
        const metrics = [...expr.matchAll(/\b(dora_[a-z_]+)/g)].map((m) => m[1]);
        const allowed = new Set(metrics.flatMap((m) => [...(families.get(m) ?? [])]));
        const unknown = metrics.filter((m) => !families.has(m));
        const used = [
          ...[...expr.matchAll(/\b(?:by|without) \(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim())),
          ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/(\w+)\s*[=!]~?/g)].map((l) => l[1])),
        ];
        for (const metric of unknown) problems.push(`${file}: ${metric} is not exposed`);
        if (metrics.length > 0) for (const label of used) if (!allowed.has(label)) problems.push(`${file}: label ${label} in ${expr.trim()}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
