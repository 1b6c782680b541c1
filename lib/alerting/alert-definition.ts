import type { AlertThresholds, PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { durationInWords, everyInWords, ruleDurationSeconds } from '../shared/durations';
import type { DashboardKey } from '../contracts/dashboards';
import type { PlatformModel } from '../model/compile';
import type { PromtoolTestCase } from '../promql/promtool-test-file';
import { promqlMetricNames } from '../promql/expression-metrics';

/**
 * The shape of an alert pack entry: everything about one alert in one typed object (its PromQL too, for the
 * alerts whose expression does not depend on an SLO). The packs themselves are lib/alerting/packs/<area>.ts.
 */

/** `critical` pages someone; `warning` opens a ticket; `info` tells the team without asking for action now. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

/** Which labels identify what an alert is about (besides `severity`, which every alert has). */
export type AlertScope =
  /** `instance` (the monitoring host). */
  | 'host'
  /** `service`, `environment` (and `instance`: the probed URL or the metrics target). */
  | 'service'
  /** `service`, `environment`, `slo`. */
  | 'slo'
  /** `repo`, `environment` (the DORA exporter's labels). */
  | 'dora'
  /** `job`, `instance` of a platform component. */
  | 'platform'
  /** `environment`: the OTLP source (one environment's tokens) that pushed the telemetry. */
  | 'source';

/** The area of an alert: its pack, and the rule file (and group) it is rendered into, `/etc/prometheus/rules/<group>.yml`. */
export type AlertGroup = 'host' | 'probes' | 'app' | 'slo' | 'dora' | 'platform';

/** Everything an alert expression may depend on, derived from the platform description. */
export interface AlertExprContext {
  readonly t: AlertThresholds;
  /** The monitoring host's `instance` label. */
  readonly instance: string;
  readonly services: readonly ServiceConfig[];
  /** Three DORA poll intervals: how long a repository may go unread before DoraPollStale. */
  readonly doraStaleSeconds: number;
  /** `service`/`environment` of every configured app metrics target (`metricsTarget`). */
  readonly appTargets: readonly { readonly service: string; readonly environment: string }[];
}

/** What a render condition may look at: the compiled platform, less the alert set it decides. */
export type AlertRenderModel = Omit<PlatformModel, 'alerts'>;

/**
 * When a platform renders an alert. The rendered set (PlatformModel.alerts), the rule files and the
 * "Rendered when" column of docs/alerts.md all read it, so a conditional alert needs nothing outside its pack.
 */
export interface RenderCondition {
  /** The condition in words, completing "rendered when ..." in docs/alerts.md. */
  readonly when: string;
  readonly holds: (model: AlertRenderModel) => boolean;
}

/** The default: every platform renders the alert. */
export const ALWAYS_RENDERED: RenderCondition = { when: 'always', holds: () => true };

/** The SLO a per-SLO alert is rendered for. */
export interface SloRenderInput {
  readonly service: ServiceConfig;
  readonly slo: SloConfig;
}

/** When an SLO's rules include a per-SLO alert; the platform renders it when any SLO's rules do. */
export interface SloRenderCondition {
  /** The condition on one SLO in words, completing "rendered for every SLO that ...". */
  readonly when: string;
  readonly holdsFor: (input: SloRenderInput) => boolean;
}

/** The default for a per-SLO alert: every SLO has it. */
export const EVERY_SLO: SloRenderCondition = { when: 'every SLO', holdsFor: () => true };

interface AlertMetadata<Name extends string> {
  /** UpperCamelCase alert name; also the runbook file name `runbooks/<name>.md`. */
  readonly name: Name;
  readonly severity: AlertSeverity;
  readonly group: AlertGroup;
  readonly scope: AlertScope;
  /** Labels every firing instance carries besides `severity` (from the series or the rule). */
  readonly labels: readonly string[];
  /** How long the condition must hold before the alert fires (Prometheus `for`); `0s` fires at once. */
  readonly for: string;
  /** One line, with label templates. */
  readonly summary: string;
  /**
   * What is wrong, with the current value (`{{ $value }}`), and what it means. Where it says how long the condition
   * has held, it writes `{for}` (HELD_FOR; a comma before it goes with it): the rule's effective `for:`, overrides
   * included, is filled in (alertDescription), so the text never names a `for` the rule does not have.
   */
  readonly description: string;
  /**
   * The current value with its unit, short (the `value` annotation, shown as "Value" in notifications).
   * Absent where the expression's value says nothing (`up == 0 or absent(up)` is 0 or 1 for the same state).
   */
  readonly value?: string;
  /** Dashboard that `dashboard_url` opens; its variables are filled from the alert's labels. */
  readonly dashboard: DashboardKey;
  /**
   * The warning alert this one is the critical tier of: the same condition at a stricter threshold. The two
   * share the warning alert's runbook, and while both fire the critical one mutes its twin in Alertmanager.
   */
  readonly tierOf?: string;
  /** Runbook path relative to the repository root (the warning twin's, for a critical tier). */
  readonly runbook: string;
  /** When a platform renders it (a critical tier's is its warning twin's unless given). */
  readonly renderedWhen: RenderCondition;
  /**
   * `promtool test rules` cases on the rules of the example description (series: ./packs/example-series.ts): at
   * least one where it fires, with the labels it promises, and one where it stays quiet. A critical tier's are
   * usually its warning twin's, whose cases show where one tier fires and the other does not.
   */
  readonly promtoolCases: readonly PromtoolTestCase[];
}

/** Stands in a description for ` for <the rule's for: in words>` (` for 5 minutes`; nothing at `0s`). */
export const HELD_FOR = '{for}';
/** Stands in a description for how often the config sync runs (`every minute`). */
export const SYNC_EVERY = '{syncEvery}';

/** The `for:` a pack alert is rendered with: its `alerting.alertOverrides` entry's, else the pack's. */
export function effectiveFor(def: AlertMetadata<string>, config: Pick<PlatformConfig, 'alerting'>): string {
  return config.alerting.alertOverrides[def.name]?.for ?? def.for;
}

/** ` for <the rule's effective for: in words>` (` for 5 minutes`), or nothing for an alert that fires at once. */
export function heldFor(def: AlertMetadata<string>, config: Pick<PlatformConfig, 'alerting'>): string {
  const held = ruleDurationSeconds(effectiveFor(def, config));
  return held === 0 ? '' : ` for ${durationInWords(held)}`;
}

/** A pack alert's description as rendered: {@link HELD_FOR} and {@link SYNC_EVERY} filled from the platform description. */
export function alertDescription(def: AlertMetadata<string>, config: Pick<PlatformConfig, 'alerting' | 'host'>): string {
  const held = heldFor(def, config);
  return def.description
    .replace(/(,?)\{for\}/g, (_, comma: string) => (held === '' ? '' : `${comma}${held}`))
    .replaceAll(SYNC_EVERY, everyInWords(config.host.configSync.intervalSeconds));
}

/** An alert with one expression for the whole platform. */
export interface StaticAlertDefinition<Name extends string = string> extends AlertMetadata<Name> {
  readonly kind: 'static';
  /** The PromQL, from the platform's thresholds and targets. */
  readonly expr: (c: AlertExprContext) => string;
  /** Metric names the expression reads (raw or recorded), parsed from it. */
  readonly reads: readonly string[];
  /** Keys of `alerting.thresholds` the expression reads, found by rendering it. */
  readonly thresholds: readonly (keyof AlertThresholds)[];
}

/**
 * An alert rendered once per SLO, by lib/slo/slo-rules.ts (its expression depends on the SLO's SLI and burn
 * plan); what it reads is parsed from the rules of each platform's SLOs (PlatformModel.alerts).
 */
export interface SloAlertDefinition<Name extends string = string> extends AlertMetadata<Name> {
  readonly kind: 'per-slo';
  /** Which SLOs' rules include it; `renderedWhen` is derived from it (some SLO of the platform). */
  readonly renderedForSlo: SloRenderCondition;
}

export type AlertDefinition<Name extends string = string> = StaticAlertDefinition<Name> | SloAlertDefinition<Name>;

type StaticAlertInput<Name extends string> = Omit<StaticAlertDefinition<Name>, 'kind' | 'runbook' | 'reads' | 'thresholds' | 'renderedWhen'> & {
  /** @default ALWAYS_RENDERED */
  readonly renderedWhen?: RenderCondition;
};

/**
 * A context for finding what an expression reads: every threshold access is recorded, and one app target and
 * no service stand in for the platform's (the expression's metric names do not depend on how many there are).
 */
function probeContext(): { context: AlertExprContext; thresholdsRead: Set<keyof AlertThresholds> } {
  const thresholdsRead = new Set<keyof AlertThresholds>();
  const t = new Proxy({} as AlertThresholds, {
    get: (_, key) => {
      thresholdsRead.add(key as keyof AlertThresholds);
      return 1;
    },
  });
  const context: AlertExprContext = {
    t,
    instance: 'monitoring',
    services: [],
    doraStaleSeconds: 900,
    appTargets: [{ service: 'app', environment: 'production' }],
  };
  return { context, thresholdsRead };
}

/** A pack entry whose expression is the same for the whole platform; `reads` and `thresholds` are derived from it. */
export function staticAlert<Name extends string>(def: StaticAlertInput<Name>): StaticAlertDefinition<Name> {
  const { context, thresholdsRead } = probeContext();
  const reads = promqlMetricNames(def.expr(context));
  return {
    ...def,
    kind: 'static',
    runbook: `runbooks/${def.tierOf ?? def.name}.md`,
    reads,
    thresholds: [...thresholdsRead],
    renderedWhen: def.renderedWhen ?? ALWAYS_RENDERED,
  };
}

/** The critical tier of a warning alert: its name with `Critical`, severity critical, its runbook; the rest given. */
export function criticalTier<Warning extends string>(
  warning: StaticAlertDefinition<Warning>,
  def: Pick<StaticAlertInput<string>, 'summary' | 'description' | 'expr'> & Partial<StaticAlertInput<string>>,
): StaticAlertDefinition<`${Warning}Critical`> {
  const { kind: _kind, runbook: _runbook, reads: _reads, thresholds: _thresholds, ...inherited } = warning;
  const { promtoolCases = [] } = def;
  return staticAlert({ ...inherited, ...def, promtoolCases, name: `${warning.name}Critical`, severity: 'critical', tierOf: warning.name });
}

/** A pack entry rendered per SLO by lib/slo; `renderedForSlo` defaults to every SLO. */
export function sloAlert<Name extends string>(
  def: Omit<SloAlertDefinition<Name>, 'kind' | 'runbook' | 'renderedWhen' | 'renderedForSlo'> & { readonly renderedForSlo?: SloRenderCondition },
): SloAlertDefinition<Name> {
  const renderedForSlo = def.renderedForSlo ?? EVERY_SLO;
  const renderedWhen: RenderCondition = {
    when: renderedForSlo === EVERY_SLO ? 'an SLO is configured' : `an SLO ${renderedForSlo.when}`,
    holds: (model) => model.slos.some(renderedForSlo.holdsFor),
  };
  return { ...def, kind: 'per-slo', runbook: `runbooks/${def.name}.md`, renderedForSlo, renderedWhen };
}
