import { ALERT_NAMES } from './packs';

/**
 * The pack alerts' names, for the schema's checks of `alerting.alertOverrides`. Declared as plain strings: the
 * packs' own types come from the schema's (thresholds), and the schema must not depend on them in turn. Called at
 * validation time only: the packs import modules that import the schema, so at load time they may not be ready.
 */
export function platformAlertNames(): readonly string[] {
  return ALERT_NAMES;
}
