import { hostSecretParameters } from '../../lib/host/secrets';
import type { PlatformConfig } from '../../lib/config/schema';
import { platformConfig } from '../helpers/platform-fixtures';

/** Every `...Parameter` value of a config, found by walking it: the oracle for what the host must read. */
function parameterFields(config: PlatformConfig): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        const here = path ? `${path}.${key}` : key;
        if (key.endsWith('Parameter') && typeof value === 'string') found.set(here, value);
        else walk(value, here);
      }
  };
  walk(config, '');
  return found;
}

describe('GIVEN a config naming every kind of secret', () => {
  const config = platformConfig((raw) => {
    raw.host.grafanaAdminPasswordParameter = '/anvila/grafana-admin';
    raw.host.otlpTokenParameter = '/anvila/otlp';
    raw.host.grafanaTls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key' };
    raw.alerting.smtp = { smarthost: 'smtp.example.com:587', from: 'alerts@example.com', passwordParameter: '/anvila/smtp' };
    raw.alerting.receivers = [
      { name: 'ops-hook', webhookUrlParameter: '/anvila/ops-hook' },
      { name: 'oncall-mail', email: 'oncall@example.com' },
    ];
    raw.grafana = { authParameter: '/anvila/grafana-auth' };
  });

  it('THEN the host reads every parameter the config names, except the Grafana provider credentials, and nothing else', () => {
    const fields = parameterFields(config);
    fields.delete('grafana.authParameter');
    // host.otlpTokenParameter is a prefix: one parameter per environment under it.
    fields.delete('host.otlpTokenParameter');
    const expected = [...fields.values(), '/anvila/otlp/staging', '/anvila/otlp/production'];
    expect(hostSecretParameters(config)).toEqual([...new Set(expected)].sort());
    expect(hostSecretParameters(config)).toHaveLength(9);
  });
});
