import type { AlertDefinition, AlertGroup } from './alert-definition';
import { ALERT_PACKS } from './packs';
import { PROMETHEUS_RULES_DIR } from '../prometheus/rule-files';

/** What each pack is about, as docs/alerts.md introduces it. */
const PACK_INTRO: Record<AlertGroup, string> = {
  host: 'The node exporter of the monitoring host (and of app servers with an agent).',
  probes: "The Blackbox exporter's HTTP probes of every environment's `probeUrl`.",
  app: "The services' own request metrics and their metrics targets.",
  slo: "Rendered once per SLO from its SLI and burn-rate plan (`lib/slo/slo-rules.ts`); a burn-rate tier pages or tickets as the SLO's `severities` say.",
  dora: 'The DORA exporter.',
  platform: 'The platform watching itself: rule evaluation, notification delivery, components, the config sync.',
};

const code = (items: readonly string[]) => (items.length ? items.map((item) => `\`${item}\``).join(', ') : '-');

function row(def: AlertDefinition): string {
  const name = def.tierOf ? `${def.name} (critical tier of ${def.tierOf})` : def.name;
  const thresholds = def.kind === 'static' ? code(def.thresholds.map((key) => `alerting.thresholds.${key}`)) : "the SLO's `objective`";
  const reads = def.kind === 'static' ? code(def.reads) : "the SLO's recorded series";
  const cells = [
    name,
    def.severity,
    def.for,
    code(def.labels),
    thresholds,
    reads,
    def.dashboard,
    def.renderedWhen.when,
    `[${def.runbook}](../${def.runbook})`,
    def.summary.replace(/\|/g, '\\|'),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** docs/alerts.md: every alert of the packs, generated (`npm run alerts-doc`) and kept in sync by a test. */
export function renderAlertsDoc(): string {
  const lines = [
    '# Alerts',
    '',
    '<!-- Generated from lib/alerting/packs/ by `npm run alerts-doc`; do not edit. -->',
    '',
    'Every alert the platform defines, one section per pack (`lib/alerting/packs/<pack>.ts`), in rule-file order.',
    '*Tuned by* are the config keys its expression reads; *Reads* are the metric names parsed from its expression;',
    "*Rendered when* is the alert's `renderedWhen`: which platforms render it at all.",
    '`critical` pages, `warning` opens a ticket; every alert also carries `severity` and the annotations `summary`,',
    '`description`, `runbook_url`, `dashboard_url` (and `value` where meaningful).',
  ];
  for (const [group, alerts] of Object.entries(ALERT_PACKS) as [AlertGroup, readonly AlertDefinition[]][]) {
    lines.push('', `## ${group} (${alerts.length}, \`${PROMETHEUS_RULES_DIR}/${group}.yml\`)`, '', PACK_INTRO[group], '');
    lines.push(
      '| Alert | Severity | For | Labels | Tuned by | Reads | Dashboard | Rendered when | Runbook | Summary |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const def of alerts) lines.push(row(def));
  }
  return `${lines.join('\n')}\n`;
}
