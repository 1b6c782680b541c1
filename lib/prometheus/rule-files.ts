import type { AlertGroup } from '../alerting/catalog';
import type { PlatformConfig } from '../config/schema';
import type { HostContext, HostFile } from '../host/host-file';
import { sloBurnRateNotes } from '../slo/burn-rate';
import { sloRuleGroups } from '../slo/slo-rules';
import { staticAlertRules } from './alert-rules';
import { serviceAlertLabelsGroup } from '../alerting/service-labels';
import { customRuleFile } from './custom-rules';
import { BLACKBOX_CONFIG_PATH, renderBlackboxConfig } from './blackbox';
import { validatePromQL } from '../promql/validate';
import { isAlertingRule, type RuleFile } from '../promql/rule-types';
import { PROMETHEUS_CONFIG_PATH, dumpYaml, renderPrometheusConfig } from './scrape-config';

export const PROMETHEUS_RULES_DIR = '/etc/prometheus/rules';

/** Static alert groups and the file each is written to. */
const STATIC_GROUPS: readonly AlertGroup[] = ['host', 'probes', 'app', 'platform'];

/**
 * The rule files as data: one per catalog group, plus `slo.yml` (recording rules and burn-rate alerts of every
 * SLO), `dora.yml` when DORA is configured and `custom.yml` with the description's own `rules`. Every expression is validated; a bad one throws naming the file,
 * group and rule.
 */
export function ruleFiles(config: PlatformConfig, context: HostContext): RuleFile[] {
  // the probe and app alerts join the services' routing labels recorded by the first group of probes.yml
  const serviceLabels = serviceAlertLabelsGroup(config.services);
  const files: RuleFile[] = STATIC_GROUPS.map((group) => ({
    name: `${group}.yml`,
    groups: [...(group === 'probes' && serviceLabels ? [serviceLabels] : []), { name: group, rules: staticAlertRules(config, context, group) }],
  }));
  if (config.dora) files.push({ name: 'dora.yml', groups: [{ name: 'dora', rules: staticAlertRules(config, context, 'dora') }] });
  const slo = sloRuleGroups(config, context);
  if (slo.length > 0) files.push({ name: 'slo.yml', groups: slo, notes: sloBurnRateNotes(config) });
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
export function renderRuleFiles(config: PlatformConfig, context: HostContext): HostFile[] {
  return ruleFiles(config, context).map((file) => ({ path: `${PROMETHEUS_RULES_DIR}/${file.name}`, content: renderRuleFile(file) }));
}

/** Every file of the Prometheus area: prometheus.yml, the rule files and the blackbox exporter's modules. */
export function renderPrometheusFiles(config: PlatformConfig, context: HostContext): HostFile[] {
  return [
    { path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(config, context) },
    ...renderRuleFiles(config, context),
    { path: BLACKBOX_CONFIG_PATH, content: renderBlackboxConfig(config) },
  ];
}
