import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import type { PlatformConfig } from '../lib/config/schema';
import { SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import type { RuleFile } from '../lib/promql/rule-types';
import { errorsSliRates } from '../lib/slo/sli';
import { ORACLES_BIN } from '../__tests__/helpers/oracles';
import { promtoolRuleFiles } from '../lib/gameday/promtool';
import { alertQualityConfig, firingEachMinute, minutesOf, outcomeOf, type ScenarioOutcome } from './alert-quality';
import { countSloRules } from './rules';
import { SLOTH_VERSION } from './sloth-pin';

/**
 * Item 6: the same SLO through sloth (built from its Go module by scripts/oracles.sh) and through this project:
 * rules per SLO counted in both generated rule sets, and both run by the pinned promtool over the same input
 * series, from which the minutes to page, to ticket and to clear are read. pyrra is not on the Go module proxy
 * this project builds from, so it is not compared.
 */

export const SLOTH_ALERT = 'SlothErrorBudgetBurn';
const REQUESTS_PER_MINUTE = 600;
/** Healthy history: covers the 3d long window of both tools' ticket tier, so no window sees an empty past. */
export const COMPARISON_HISTORY_MINUTES = 3 * 24 * 60;
export const COMPARISON_WATCH_MINUTES = 12 * 60;

export interface ComparisonScenario {
  readonly name: string;
  /** Minutes the incident lasts, from the end of the history on. */
  readonly minutes: number;
  /** Share of requests failing during the incident. */
  readonly errorRatio: number;
}

/** The issue's three: a full outage, twice the budget's burn for 6 h (ratio 2 × (1 - objective)), a 2-minute blip. */
export function comparisonScenarios(objective: number): ComparisonScenario[] {
  return [
    { name: 'full outage, 30 min', minutes: 30, errorRatio: 1 },
    { name: '2x burn for 6 h', minutes: 360, errorRatio: Number((2 * (1 - objective / 100)).toPrecision(12)) },
    { name: '2-minute blip', minutes: 2, errorRatio: 1 },
  ];
}

/** The one SLO both tools get: the alert-quality config's request SLO (errors SLI, prometheus-client convention). */
function comparedSlo(config: PlatformConfig) {
  const service = config.services[0];
  return { service, slo: service.slos[0] };
}

/** Sloth's prometheus/v1 spec of the compared SLO: the platform's own error and total queries, objective and period. */
export function slothSpec(config: PlatformConfig): string {
  const { service, slo } = comparedSlo(config);
  const { bad, total } = errorsSliRates(service, slo, '{{.window}}');
  return yaml.dump(
    {
      version: 'prometheus/v1',
      service: service.name,
      slos: [
        {
          name: slo.name,
          objective: slo.objective,
          sli: { events: { error_query: bad, total_query: total } },
          alerting: { name: SLOTH_ALERT, page_alert: { labels: { severity: 'critical' } }, ticket_alert: { labels: { severity: 'warning' } } },
        },
      ],
    },
    { lineWidth: -1 },
  );
}

/** Path of the sloth binary scripts/oracles.sh links. */
export const slothBinary = () => join(ORACLES_BIN, 'sloth');

/** Runs `sloth generate` on `spec` and returns its rule file (SLO period: the SLO's window). */
export function slothRules(spec: string, period: string): RuleFile {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sloth-'));
  try {
    writeFileSync(join(dir, 'spec.yml'), spec);
    const result = spawnSync(slothBinary(), ['generate', '-i', 'spec.yml', '-o', 'rules.yml', '--default-slo-period', period], { cwd: dir, encoding: 'utf8' });
    if (result.error || result.status !== 0)
      throw new Error(`sloth generate failed (${result.error?.message ?? `exit ${result.status}`}); run scripts/oracles.sh to build it:\n${result.stderr}`);
    const parsed = yaml.load(readFileSync(join(dir, 'rules.yml'), 'utf8')) as Pick<RuleFile, 'groups'>;
    return { name: 'sloth.yml', groups: parsed.groups };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RuleCount {
  readonly recording: number;
  readonly alerts: number;
}

export function countRules(file: RuleFile): RuleCount {
  const rules = file.groups.flatMap((g) => g.rules) as { record?: string; alert?: string }[];
  return { recording: rules.filter((r) => r.record !== undefined).length, alerts: rules.filter((r) => r.alert !== undefined).length };
}

/** Page and ticket timelines (minutes from the incident's start at which each fired). */
export interface PageTicketTimeline {
  readonly page: readonly number[];
  readonly ticket: readonly number[];
}

/** Which alert (and, for sloth's one alert name, which `sloth_severity`) is the page and which the ticket. */
export interface AlertRoles {
  readonly page: { readonly alertname: string; readonly severityLabel?: string };
  readonly ticket: { readonly alertname: string; readonly severityLabel?: string };
}

export const OUR_ROLES: AlertRoles = { page: { alertname: 'SLOBurnRateFast' }, ticket: { alertname: 'SLOBurnRateSlow' } };
export const SLOTH_ROLES: AlertRoles = {
  page: { alertname: SLOTH_ALERT, severityLabel: 'sloth_severity="page"' },
  ticket: { alertname: SLOTH_ALERT, severityLabel: 'sloth_severity="ticket"' },
};

/** Counter values per minute: the history healthy, then the incident's share failing, then healthy again. */
export function scenarioSeries(scenario: ComparisonScenario, historyMinutes: number, watchMinutes: number): { ok: number[]; failed: number[] } {
  const ok = [0];
  const failed = [0];
  for (let m = 1; m <= historyMinutes + watchMinutes; m++) {
    const inIncident = m > historyMinutes && m <= historyMinutes + scenario.minutes;
    const bad = inIncident ? Math.round(REQUESTS_PER_MINUTE * scenario.errorRatio) : 0;
    ok.push(ok[m - 1] + REQUESTS_PER_MINUTE - bad);
    failed.push(failed[m - 1] + bad);
  }
  return { ok, failed };
}

/**
 * Runs promtool over `files` and one scenario, expecting no alert at every minute of the watch window, so each
 * minute an alert fires comes back as a failure; a failure is the page or the ticket by its alert name and, for
 * sloth, its severity label in what promtool got.
 */
export function pageTicketTimeline(
  files: readonly RuleFile[],
  roles: AlertRoles,
  scenario: ComparisonScenario,
  config: PlatformConfig,
  historyMinutes = COMPARISON_HISTORY_MINUTES,
  watchMinutes = COMPARISON_WATCH_MINUTES,
): PageTicketTimeline {
  const { service } = comparedSlo(config);
  const failures = firingEachMinute({
    name: scenario.name,
    files,
    config,
    labels: { job: SCRAPE_JOBS.app, service: service.name, environment: service.environments[0].name },
    counters: scenarioSeries(scenario, historyMinutes, watchMinutes),
    alertnames: [...new Set([roles.page.alertname, roles.ticket.alertname])],
    historyMinutes,
    watchMinutes,
  });
  const firing = (role: AlertRoles['page']) =>
    failures
      .filter((f) => f.alertname === role.alertname && f.time !== undefined && (role.severityLabel === undefined || f.text.includes(role.severityLabel)))
      .map((f) => minutesOf(f.time!) - historyMinutes);
  return { page: firing(roles.page), ticket: firing(roles.ticket) };
}

export interface SlothComparisonRow {
  readonly scenario: ComparisonScenario;
  readonly tool: 'ours' | 'sloth';
  readonly page: ScenarioOutcome;
  readonly ticket: ScenarioOutcome;
}

export interface SlothComparisonResult {
  readonly slothVersion: string;
  /** When it ran (it may run alone, after the rest of the bench: `--only sloth`). */
  readonly measuredAt: string;
  readonly objective: number;
  readonly period: string;
  readonly historyMinutes: number;
  readonly watchMinutes: number;
  readonly rules: { readonly ours: RuleCount; readonly sloth: RuleCount };
  readonly rows: readonly SlothComparisonRow[];
}

/** Our SLO rule files only: the SLO alerts read nothing else, and promtool evaluates every rule each minute of 3.5 days. */
function ourSloRuleFiles(config: PlatformConfig): RuleFile[] {
  return promtoolRuleFiles(config).filter((file) => file.groups.some((g) => g.name.startsWith('slo-')));
}

export function benchSlothComparison(config: PlatformConfig = alertQualityConfig()): SlothComparisonResult {
  const { service, slo } = comparedSlo(config);
  const period = slo.window;
  const sloth = slothRules(slothSpec(config), period);
  const ours = ourSloRuleFiles(config);
  const count = countSloRules(ours, config).find((c) => c.service === service.name && c.slo === slo.name)!;
  const rows = comparisonScenarios(slo.objective).flatMap((scenario) =>
    (
      [
        ['ours', ours, OUR_ROLES],
        ['sloth', [sloth], SLOTH_ROLES],
      ] as const
    ).map(([tool, files, roles]): SlothComparisonRow => {
      const t = pageTicketTimeline(files, roles, scenario, config);
      return {
        scenario,
        tool,
        page: outcomeOf(t.page, scenario.minutes, COMPARISON_WATCH_MINUTES),
        ticket: outcomeOf(t.ticket, scenario.minutes, COMPARISON_WATCH_MINUTES),
      };
    }),
  );
  return {
    slothVersion: SLOTH_VERSION,
    measuredAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    objective: slo.objective,
    period,
    historyMinutes: COMPARISON_HISTORY_MINUTES,
    watchMinutes: COMPARISON_WATCH_MINUTES,
    rules: { ours: { recording: count.recordingRules, alerts: count.alerts }, sloth: countRules(sloth) },
    rows,
  };
}
