import type { AlertGroup, StaticAlertDefinition } from '../alerting/alert-definition';
import type { AlertName } from '../alerting/packs';
import { alertingRule } from '../alerting/annotations';
import type { HostContext, HostFile } from '../shared/host-file';
import type { PlatformModel } from '../model/compile';
import { sloRuleGroups } from '../slo/slo-rules';
import { serviceAlertLabelsGroup, withServiceAlertLabels } from '../alerting/service-labels';
import { appTargetsGroup } from './app-targets';
import { customRuleFile } from './custom-rules';
import { BLACKBOX_CONFIG_PATH, renderBlackboxConfig } from './blackbox';
import { validatePromQL } from '../promql/validate';
import { isAlertingRule, type AlertingRule, type RuleFile } from '../promql/rule-types';
import { PATHS } from '../shared/host-paths';
import { PROMETHEUS_CONFIG_PATH, dumpYaml, renderPrometheusConfig } from './scrape-config';

export const PROMETHEUS_RULES_DIR = PATHS.prometheusRulesDir;

/** The alerting rules of one pack's static alerts, thresholds from `alerting.thresholds`. */
export function staticAlertRules(model: PlatformModel, context: HostContext, group: AlertGroup): AlertingRule[] {
  return model.alerts
    .filter((def): def is StaticAlertDefinition<AlertName> => def.kind === 'static' && def.group === group)
    .map((def) => {
      const expr = def.expr(model.alertContext);
      // the service's team and labels, for routing, like the SLO alerts of the service carry them
      return alertingRule(def, def.scope === 'service' ? withServiceAlertLabels(expr, model.config.services) : expr, model.config, context);
    });
}

/** Static alert groups, in the order of their rule files. */
const STATIC_GROUPS: readonly AlertGroup[] = ['host', 'probes', 'app', 'platform', 'dora'];

/**
 * The rule files as data: one per static alert pack that renders an alert (`renderedWhen`), `slo.yml` with
 * the recording rules and alerts of every SLO, and `custom.yml` with the description's own `rules`. Every
 * expression is validated; a bad one throws naming the file, group and rule.
 */
export function ruleFiles(model: PlatformModel, context: HostContext): RuleFile[] {
  const { config } = model;
  // the probe and app alerts join the services' routing labels recorded by the first group of probes.yml
  const serviceLabels = serviceAlertLabelsGroup(config.services);
  // AppTargetDown compares the scraped targets with the configured ones, recorded by the first group of app.yml
  const appTargets = appTargetsGroup(model.alertContext.appTargets);
  const files: RuleFile[] = STATIC_GROUPS.filter((group) => model.alerts.some((def) => def.group === group)).map((group) => ({
    name: `${group}.yml`,
    groups: [
      ...(group === 'probes' && serviceLabels ? [serviceLabels] : []),
      ...(group === 'app' && appTargets ? [appTargets] : []),
      { name: group, rules: staticAlertRules(model, context, group) },
    ],
  }));
  const slo = sloRuleGroups(config, context, new Map(model.slos.map(({ slo, plan }) => [slo, plan])));
  if (slo.length > 0) files.push({ name: 'slo.yml', groups: slo, notes: model.burnRateNotes });
  const custom = customRuleFile(config);
  if (custom) files.push(custom);
  validateRuleFiles(files);
  return files;
}

/** Checks every expression of the rule files; throws PromQLValidationError naming file, group and rule. */
export function validateRuleFiles(files: readonly RuleFile[]): void {
  for (const file of files) {
    for (const group of file.groups) {
      group.rules.forEach((rule, index) => {
        const name = isAlertingRule(rule) ? `alert ${rule.alert}` : `record ${rule.record}`;
        validatePromQL(rule.expr, `${PROMETHEUS_RULES_DIR}/${file.name}, group ${group.name}, rule #${index + 1} (${name})`);
      });
    }
  }
}

/** One rule file as YAML, with its notes as leading comments. */
export function renderRuleFile(file: RuleFile): string {
  const header = ['# Rendered from the platform description by lib/prometheus and lib/slo; do not edit on the host.'];
  for (const note of file.notes ?? []) header.push(`# NOTE: ${note}`);
  return `${header.join('\n')}\n${dumpYaml({ groups: file.groups })}`;
}

/** /etc/prometheus/rules/*.yml. */
export function renderRuleFiles(model: PlatformModel, context: HostContext): HostFile[] {
  return ruleFiles(model, context).map((file) => ({ path: `${PROMETHEUS_RULES_DIR}/${file.name}`, content: renderRuleFile(file) }));
}

/** Every file of the Prometheus area: prometheus.yml, the rule files and the blackbox exporter's modules. */
export function renderPrometheusFiles(model: PlatformModel, context: HostContext): HostFile[] {
  return [
    { path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(model.config, context) },
    ...renderRuleFiles(model, context),
    { path: BLACKBOX_CONFIG_PATH, content: renderBlackboxConfig(model.config) },
  ];
}
