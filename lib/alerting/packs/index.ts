import type { AlertDefinition, AlertGroup, StaticAlertDefinition } from '../alert-definition';
import { APP_ALERTS } from './app';
import { DORA_ALERTS } from './dora';
import { HOST_ALERTS } from './host';
import { PLATFORM_ALERTS } from './platform';
import { PROBE_ALERTS } from './probes';
import { SLO_ALERTS } from './slo';

/**
 * The alert packs: every alert the platform defines, one typed object each (lib/alerting/alert-definition.ts),
 * one file per area. The rule files, annotations, inhibitions, runbook checks, dashboard links and
 * docs/alerts.md are all derived from these.
 */
export const ALERT_PACKS = {
  host: HOST_ALERTS,
  probes: PROBE_ALERTS,
  app: APP_ALERTS,
  slo: SLO_ALERTS,
  dora: DORA_ALERTS,
  platform: PLATFORM_ALERTS,
} as const satisfies Record<AlertGroup, readonly AlertDefinition[]>;

type PackAlert = (typeof ALERT_PACKS)[AlertGroup][number];

/** The name of an alert of the packs, as a literal type. */
export type AlertName = PackAlert['name'];

/** Every alert the platform defines, in the order they appear in the rule files. */
export const ALERT_CATALOG: readonly AlertDefinition<AlertName>[] = Object.values(ALERT_PACKS).flat();

/** The names every consumer may rely on. */
export const ALERT_NAMES: readonly AlertName[] = ALERT_CATALOG.map((a) => a.name);

/** The alerts with one expression for the whole platform (all but the per-SLO ones). */
export const STATIC_ALERTS: readonly StaticAlertDefinition<AlertName>[] = ALERT_CATALOG.filter(
  (a): a is StaticAlertDefinition<AlertName> => a.kind === 'static',
);

/** The pack entry of an alert; throws for an unknown name (names from outside the packs, e.g. a game day's, are strings). */
export function alertDefinition(name: string): AlertDefinition<AlertName> {
  const found = ALERT_CATALOG.find((a) => a.name === name);
  if (!found) throw new Error(`no alert named ${name} in the alert packs; known: ${ALERT_NAMES.join(', ')}`);
  return found;
}

/** `runbook_url` of an alert: `<runbookBaseUrl>/<AlertName>.md` (a critical tier's is its warning twin's). */
export function runbookUrl(runbookBaseUrl: string, name: string): string {
  const runbook = ALERT_CATALOG.find((a) => a.name === name)?.tierOf ?? name;
  return `${runbookBaseUrl.replace(/\/+$/, '')}/${runbook}.md`;
}
