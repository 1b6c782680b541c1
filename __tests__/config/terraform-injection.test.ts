import { validatePlatformConfig } from '../../lib/config/loader';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { stringsWithin } from '../../lib/policy/elements';
import { defaultRawConfig } from '../helpers/platform-fixtures';

/*
 * Free text from the config that reaches Terraform must never be evaluated by it: a `${...}` or `%{...}` a user
 * writes arrives escaped (`$${`, `%%{`), and what cannot be escaped (CDKTF's own token marker) is refused.
 */
const EXPRESSION = '${file("/etc/hostname")}';
const DIRECTIVE = '%{ if true }x%{ endif }';
const HOSTILE = `ops ${EXPRESSION} ${DIRECTIVE}`;

describe('GIVEN Terraform expressions and directives in every free-text field that takes them', () => {
  const raw = defaultRawConfig();
  raw.services[0].team = HOSTILE;
  raw.services[0].slos[0].description = HOSTILE;
  raw.alerting.smtp = { smarthost: 'smtp.anvila.example:587', from: 'alerts@anvila.example', username: HOSTILE };
  raw.alerting.receivers = [{ name: 'oncall-mail', email: 'oncall@anvila.example' }];
  raw.dora.incidentLabel = HOSTILE;
  raw.dora.rollbackMarkers = ['revert', HOSTILE];
  const config = validatePlatformConfig(raw, 'test:terraform-injection');

  it('THEN no string of either synthesized stack holds them unescaped, and the escaped text is there', () => {
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config });
    app.synth();
    const texts = [platform.infra, platform.grafana].flatMap((stack) => stringsWithin(stack.toTerraform()).map((s) => s.text));
    const live = texts.map((text) => text.replace(/\$\$\{/g, '').replace(/%%\{/g, ''));
    expect(live.filter((text) => text.includes('{file(') && /\$\{file\(/.test(text))).toEqual([]);
    expect(live.filter((text) => /%\{ (if|endif)/.test(text))).toEqual([]);
    expect(texts.some((text) => text.includes('$${file("/etc/hostname")}') || text.includes('$${file(\\"/etc/hostname\\")}'))).toBe(true);
  });
});
