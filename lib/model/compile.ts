import { agentTargets, type AgentTarget } from '../agent/targets';
import type { AlertDefinition, AlertExprContext, AlertRenderModel } from '../alerting/alert-definition';
import { ALERT_CATALOG, type AlertName } from '../alerting/packs';
import { PlatformInternalError } from '../config/errors';
import type { PlatformConfig, ServiceConfig, SloConfig } from '../config/schema';
import { ARTIFACTS, type ArtifactSpec } from '../host/artifacts';
import { compileArtifactPins, type ArtifactPins } from './artifact-pins';
import { serviceTargets, type ServiceTarget } from './targets';
import { compileDashboards, dashboardLinkProblems, type DashboardModel } from './dashboards';
import { hostInstanceName } from '../prometheus/scrape-config';
import { planBurnRateTiers, type BurnRatePlan } from '../slo/burn-rate';

/**
 * The compile stage: `PlatformConfig -> PlatformModel`, every fact derived from the description computed once.
 * Renderers, checks and constructs read the model instead of re-deriving (the burn-rate plans were computed
 * three times per synth, an SLO's config path recovered with indexOf, the agent's artifact pins three times per
 * environment by each script carrying its install).
 */

/** One SLO of one service, as the rules, notes and checks need it. */
export interface SloModel {
  /** `<service>/<slo>`: unique in a platform, how notes and game days name it. */
  readonly id: string;
  /** Where it is in the description: `services[0].slos[1]`. */
  readonly path: string;
  readonly service: ServiceConfig;
  readonly slo: SloConfig;
  /** The burn-rate tiers planned for its objective, with a note for each tier synth had to lower. */
  readonly plan: BurnRatePlan;
}

export interface PlatformModel {
  /** The validated description the model was compiled from. */
  readonly config: PlatformConfig;
  /** File the description came from, named in cross-check errors. */
  readonly configFile: string;
  /** Every SLO of every service, in description order. */
  readonly slos: readonly SloModel[];
  /** What synth did instead of emitting an unreachable burn factor, one note per adjusted tier, naming the SLO's path. */
  readonly burnRateNotes: readonly string[];
  /** What the alert packs' expressions read from the description (thresholds, the host's instance, app targets). */
  readonly alertContext: AlertExprContext;
  /** The alerts of the packs this platform renders (each alert's `renderedWhen`), in pack order. */
  readonly alerts: readonly AlertDefinition<AlertName>[];
  /** The resolved pin of every artifact the monitoring host and the app servers' agent install. */
  readonly artifacts: ArtifactPins;
  /** The dashboards this platform renders; every alert's `dashboard` link is one of them. */
  readonly dashboards: readonly DashboardModel[];
  /** Every environment whose app servers run the telemetry agent, in description order. */
  readonly agents: readonly AgentTarget[];
  /** Every environment of every service, in description order: its probe URL and app metrics target. */
  readonly targets: readonly ServiceTarget[];
}

export interface CompileOptions {
  /** File the description came from. @default '<inline config>' */
  readonly configFile?: string;
  /** The table of pinned versions; tests pass their own to exercise an upgrade. @default ARTIFACTS */
  readonly artifacts?: readonly ArtifactSpec[];
}

function compileSlos(config: PlatformConfig): SloModel[] {
  return config.services.flatMap((service, s) =>
    service.slos.map((slo, o) => {
      const path = `services[${s}].slos[${o}]`;
      const id = `${service.name}/${slo.name}`;
      return { id, path, service, slo, plan: planBurnRateTiers(slo.objective, `${path} (${id})`, slo.window) };
    }),
  );
}

function compileAlertContext(config: PlatformConfig, targets: readonly ServiceTarget[]): AlertExprContext {
  return {
    t: config.alerting.thresholds,
    instance: hostInstanceName(config),
    services: config.services,
    doraStaleSeconds: 3 * (config.dora?.pollIntervalSeconds ?? 300),
    appTargets: targets.flatMap((target) => (target.metrics ? [{ service: target.service, environment: target.environment }] : [])),
  };
}

/**
 * Compiles a validated description into the model every renderer, check and construct reads. Throws
 * PlatformInternalError when the library contradicts itself (an alert linking a dashboard the platform does not
 * render); the user's own mistakes are checkPlatform's, reported together.
 */
export function compilePlatform(config: PlatformConfig, options: CompileOptions = {}): PlatformModel {
  const slos = compileSlos(config);
  const dashboards = compileDashboards(config);
  const targets = serviceTargets(config);
  const model: AlertRenderModel = {
    config,
    configFile: options.configFile ?? '<inline config>',
    slos,
    burnRateNotes: slos.flatMap((s) => s.plan.notes),
    alertContext: compileAlertContext(config, targets),
    artifacts: compileArtifactPins(config, options.artifacts ?? ARTIFACTS),
    dashboards,
    agents: agentTargets(config),
    targets,
  };
  const alerts = ALERT_CATALOG.filter((def) => def.renderedWhen.holds(model));
  const broken = dashboardLinkProblems(alerts, dashboards);
  if (broken.length > 0)
    throw new PlatformInternalError(
      broken.map((group) => group.source).join(' and '),
      broken.flatMap((group) => group.problems),
    );
  return { ...model, alerts };
}
