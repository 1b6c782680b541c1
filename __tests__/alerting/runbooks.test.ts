import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { RUNBOOKS_DIR, RUNBOOK_SECTIONS, checkRunbooks, markdownSections, readRunbookFiles, type RunbookFile } from '../../lib/alerting/runbooks';
import { ALERT_CATALOG } from '../../lib/alerting/packs';
import { PlatformConfigError } from '../../lib/config/errors';
import { checkLogql, checkPromql } from '../../lib/grafana/dashboard-checks';
import { promqlMetricNames } from '../../lib/promql/expression-metrics';
import { DASHBOARDS } from '../../lib/contracts/dashboards';
import { SCRAPE_JOBS } from '../../lib/contracts/scrape-jobs';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { REPO_ROOT, run, tempDir } from './support';

const alerts = ALERT_CATALOG;
/** Alerts with a runbook of their own: a critical tier shares its warning twin's. */
const alertNames: readonly string[] = ALERT_CATALOG.filter((a) => !a.tierOf).map((a) => a.name);
const files = readRunbookFiles();
const alertRunbooks = files.filter((f) => alertNames.includes(f.file.replace(/\.md$/, '')));

/** The body of one `## Section` of a Markdown text. */
function section(content: string, name: string): string {
  const start = content.indexOf(`\n## ${name}\n`);
  if (start < 0) return '';
  const rest = content.slice(start + name.length + 5);
  const next = rest.search(/\n## /);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The `label op "value"` matchers of a PromQL expression (any operator), via the official grammar. */
function labelMatchers(expr: string): Array<{ label: string; value: string }> {
  const found: Array<{ label: string; value: string }> = [];
  const cursor = promqlParser.parse(expr).cursor();
  do {
    if (cursor.name === 'UnquotedLabelMatcher') {
      const label = cursor.node.getChild('LabelName');
      const value = cursor.node.getChild('StringLiteral');
      if (label && value)
        found.push({ label: expr.slice(label.from, label.to), value: JSON.parse(expr.slice(value.from, value.to).replace(/^'|'$/g, '"')) as string });
    }
  } while (cursor.next());
  return found;
}

/** Fenced code blocks with the given info string. */
function codeBlocks(content: string, language: string): string[] {
  const blocks: string[] = [];
  const fence = new RegExp('^\\s*```' + language + '\\s*\\n([\\s\\S]*?)\\n\\s*```', 'gm');
  for (let match = fence.exec(content); match; match = fence.exec(content)) blocks.push(match[1].trim());
  return blocks;
}

describe('runbooks', () => {
  it('resolves the runbooks folder from the package, not the working directory', () => {
    expect(RUNBOOKS_DIR).toBe(path.join(REPO_ROOT, 'runbooks'));
  });

  it('GIVEN the alert catalog and runbooks/ THEN every alert has its runbook with every section (the synth check passes)', () => {
    expect(() => checkRunbooks(alerts, files)).not.toThrow();
    expect(alertRunbooks).toHaveLength(alertNames.length);
    for (const runbook of alertRunbooks)
      expect({ file: runbook.file, sections: markdownSections(runbook.content) }).toEqual({ file: runbook.file, sections: [...RUNBOOK_SECTIONS] });
  });

  it('GIVEN an alert without runbook THEN the check fails naming the missing file', () => {
    const act = () => checkRunbooks([...alerts, { name: 'QueueBacklogHigh' }], files);
    expect(act).toThrow(PlatformConfigError);
    expect(act).toThrow(/runbooks\/QueueBacklogHigh\.md.*no runbook for alert QueueBacklogHigh/);
  });

  it('GIVEN a runbook without alert THEN the check fails naming the orphan file', () => {
    const act = () =>
      checkRunbooks(
        alerts.filter((a) => a.name !== 'ProbeSlow'),
        files,
      );
    expect(act).toThrow(PlatformConfigError);
    expect(act).toThrow(/runbooks\/ProbeSlow\.md.*not an alert of the catalog/);
  });

  it('GIVEN a runbook lacking a section, with an empty section, or out of order THEN the check fails naming file and section', () => {
    const probe = files.find((f) => f.file === 'ProbeFailing.md')!;
    const others = files.filter((f) => f !== probe);
    const withContent = (content: string): RunbookFile[] => [...others, { file: probe.file, content }];

    const missing = () => checkRunbooks(alerts, withContent(probe.content.replace('## When to roll back', '## Rolling back')));
    expect(missing).toThrow(PlatformConfigError);
    expect(missing).toThrow(/runbooks\/ProbeFailing\.md: ## When to roll back: found no section "When to roll back"/);

    const empty = probe.content.replace(/## Likely causes\n[\s\S]*?\n## First steps/, '## Likely causes\n\n## First steps');
    expect(() => checkRunbooks(alerts, withContent(empty))).toThrow(/## Likely causes: found an empty section/);

    const swapped = probe.content.replace('## How to resolve', '## TMP').replace('## First steps', '## How to resolve').replace('## TMP', '## First steps');
    expect(() => checkRunbooks(alerts, withContent(swapped))).toThrow(/put the sections in the order/);
  });

  it("GIVEN a critical tier THEN its runbook is its warning twin's, which names the tier, its severity and its threshold key", () => {
    const tiers = ALERT_CATALOG.filter((a) => a.tierOf);
    expect(tiers.length).toBeGreaterThan(0);
    for (const def of tiers) {
      expect(def.runbook).toBe(`runbooks/${def.tierOf}.md`);
      const runbook = files.find((f) => f.file === `${def.tierOf}.md`)!;
      const tierLine = new RegExp(`^Critical tier: \\*\\*${def.name}\\*\\*, severity \\*\\*critical\\*\\*`, 'm');
      expect({ file: runbook.file, tier: def.name, stated: tierLine.test(runbook.content) }).toEqual({ file: runbook.file, tier: def.name, stated: true });
    }
    const orphanTier = () => checkRunbooks([...alerts, { name: 'QueueBacklogHighCritical', tierOf: 'QueueBacklogHigh' }], files);
    expect(orphanTier).toThrow(/runbooks\/QueueBacklogHigh\.md.*no runbook for alert QueueBacklogHighCritical/);
  });

  it('every First steps section gives PromQL to run and a platform dashboard to open', () => {
    const uids = Object.values(DASHBOARDS).map((d) => d.uid);
    for (const runbook of alertRunbooks) {
      const firstSteps = section(runbook.content, 'First steps');
      expect({ file: runbook.file, promql: codeBlocks(firstSteps, 'promql').length > 0 }).toEqual({ file: runbook.file, promql: true });
      const linked = uids.filter((uid) => firstSteps.includes(`/d/${uid}`));
      expect({ file: runbook.file, dashboards: linked.length > 0 }).toEqual({ file: runbook.file, dashboards: true });
    }
  });

  it('every PromQL query in the runbooks parses with Prometheus (promtool check rules)', () => {
    const queries = alertRunbooks.flatMap((r) => codeBlocks(r.content, 'promql').map((expr) => ({ file: r.file, expr })));
    expect(queries.length).toBeGreaterThanOrEqual(alertNames.length * 2);
    const workspace = tempDir('runbook-promql');
    try {
      const ruleFile = path.join(workspace.dir, 'runbook-queries.yml');
      writeFileSync(
        ruleFile,
        yaml.dump(
          { groups: [{ name: 'runbook-queries', rules: queries.map((q, i) => ({ record: `runbook:query_${i}:check`, expr: q.expr })) }] },
          { lineWidth: -1 },
        ),
      );
      const result = run('promtool', ['check', 'rules', ruleFile]);
      expect({ output: result.stdout + result.stderr, status: result.status }).toEqual({ output: expect.stringContaining('SUCCESS'), status: 0 });
    } finally {
      workspace.cleanup();
    }
  });

  it('every runbook states the severity and links the dashboard its catalog alert has', () => {
    for (const def of ALERT_CATALOG.filter((a) => !a.tierOf)) {
      const runbook = files.find((f) => f.file === `${def.name}.md`)!;
      const severity = /^Severity: \*\*(\w+)\*\*/m.exec(runbook.content)?.[1];
      expect({ file: runbook.file, severity }).toEqual({ file: runbook.file, severity: def.severity });
      expect({ file: runbook.file, links: runbook.content.includes(`/d/${DASHBOARDS[def.dashboard].uid}`) }).toEqual({ file: runbook.file, links: true });
    }
  });

  it('every PromQL query in the runbooks names only metrics the platform produces (the metric catalog)', () => {
    const queries = alertRunbooks.flatMap((r) => codeBlocks(r.content, 'promql').map((expr) => ({ file: r.file, expr })));
    for (const { file, expr } of queries) {
      expect({ file, expr, metrics: promqlMetricNames(expr).length > 0 }).toEqual({ file, expr, metrics: true });
      expect({ file, expr, problems: checkPromql(expr) }).toEqual({ file, expr, problems: [] });
    }
  });

  it('GIVEN a runbook query with a misspelt metric THEN the metric check names it', () => {
    expect(checkPromql('rate(node_cpu_second_total{job="node"}[5m])')).toEqual([
      expect.stringMatching(/node_cpu_second_total.*did you mean node_cpu_seconds_total/),
    ]);
  });

  it('every PromQL query selects by the labels the platform attaches: known job names, instance never host:port', () => {
    const jobs: string[] = Object.values(SCRAPE_JOBS);
    for (const runbook of alertRunbooks)
      for (const expr of codeBlocks(runbook.content, 'promql'))
        for (const { label, value } of labelMatchers(expr)) {
          if (label === 'job')
            for (const job of value.split('|'))
              expect({ file: runbook.file, expr, job, known: jobs.includes(job) }).toEqual({ file: runbook.file, expr, job, known: true });
          if (label === 'instance')
            expect({ file: runbook.file, expr, instance: value }).toEqual({ file: runbook.file, expr, instance: expect.not.stringMatching(/:\d+$/) });
        }
  });

  it('every LogQL query selects a stream by the labels Loki gets from OTLP (service_name, deployment_environment, ...)', () => {
    const queries = alertRunbooks.flatMap((r) => codeBlocks(r.content, 'logql').map((query) => ({ file: r.file, query })));
    expect(queries.length).toBeGreaterThan(0);
    for (const { file, query } of queries) {
      const selector = /\{[^}]*\}/.exec(query)?.[0] ?? '';
      expect({ file, query, problems: checkLogql(selector) }).toEqual({ file, query, problems: [] });
    }
  });

  it('every dashboard link in the runbooks uses a platform dashboard UID and only its variables', () => {
    const byUid = new Map(Object.values(DASHBOARDS).map((d) => [d.uid as string, d.variables as readonly string[]]));
    let links = 0;
    for (const runbook of alertRunbooks)
      for (const match of runbook.content.matchAll(/\/d\/([A-Za-z0-9_-]+)(\?[^`\s)]*)?/g)) {
        links++;
        const [link, uid, query] = match;
        expect({ file: runbook.file, link, known: byUid.has(uid) }).toEqual({ file: runbook.file, link, known: true });
        const variables = [...new URLSearchParams((query ?? '').slice(1)).keys()];
        const allowed = (byUid.get(uid) ?? []).map((v) => `var-${v}`);
        for (const variable of variables)
          expect({ file: runbook.file, link, variable, known: allowed.includes(variable) }).toEqual({ file: runbook.file, link, variable, known: true });
      }
    expect(links).toBeGreaterThanOrEqual(alertRunbooks.length);
  });

  it('runbooks are specific to their alert, not templated filler', () => {
    for (const name of RUNBOOK_SECTIONS) {
      const bodies = alertRunbooks.map((r) => section(r.content, name).trim());
      expect({ section: name, distinct: new Set(bodies).size }).toEqual({ section: name, distinct: alertRunbooks.length });
    }
    for (const runbook of alertRunbooks) expect(runbook.content.startsWith(`# ${runbook.file.replace(/\.md$/, '')}\n`)).toBe(true);
  });

  it('ships a blameless post-incident review template', () => {
    const review = files.find((f) => f.file === 'post-incident-review.md');
    expect(review).toBeDefined();
    expect(review!.content).toMatch(/blameless/i);
    expect(markdownSections(review!.content)).toEqual(
      expect.arrayContaining(['Summary', 'Impact', 'Timeline (UTC)', 'Contributing factors', 'Action items', 'Lessons learned']),
    );
  });

  it('ships a filled-in example review with every section of the template, and no placeholder left', () => {
    const template = files.find((f) => f.file === 'post-incident-review.md')!;
    const example = files.find((f) => f.file === 'post-incident-review-example.md');
    expect(example).toBeDefined();
    expect(markdownSections(example!.content)).toEqual(markdownSections(template.content));
    for (const name of markdownSections(template.content))
      expect({ section: name, filled: section(example!.content, name).trim().length > 80 }).toEqual({ section: name, filled: true });
    expect(example!.content).not.toMatch(/<short title>|YYYY-MM-DD|hh:mm|\| \| \| \| \| \|/);
    expect(example!.content).toMatch(/blameless/i);
  });

  it('the error-budget policy says what happens at 50, 75 and 100 % spent, and the SLO runbooks link it', () => {
    const policy = readFileSync(path.join(REPO_ROOT, 'docs', 'error-budget-policy.md'), 'utf8');
    expect(markdownSections(policy)).toEqual(expect.arrayContaining(['50 % spent', '75 % spent', '100 % spent']));
    for (const expr of codeBlocks(policy, 'promql')) expect({ expr, problems: checkPromql(expr) }).toEqual({ expr, problems: [] });
    expect(codeBlocks(policy, 'promql').length).toBeGreaterThan(0);
    for (const file of ['SLOBurnRateFast.md', 'SLOBurnRateSlow.md'])
      expect({ file, links: files.find((f) => f.file === file)!.content.includes('docs/error-budget-policy.md') }).toEqual({ file, links: true });
  });
});
