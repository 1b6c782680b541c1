import type { PlatformConfig } from './schema';

/**
 * Every SSM parameter the host itself reads at boot: each `...Parameter` field of the config, except the
 * Grafana provider's credentials, which only Terraform reads. Sorted and unique.
 */
export function hostSecretParameters(config: PlatformConfig): string[] {
  const names = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${path}[${i}]`));
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        const here = path ? `${path}.${key}` : key;
        if (key.endsWith('Parameter') && typeof value === 'string') {
          if (here !== 'grafana.authParameter') names.add(value);
        } else walk(value, here);
      }
  };
  walk(config, '');
  return [...names].sort();
}

/** The SSM parameter holding the Grafana provider's credentials. @default /<name>/grafana-auth */
export function grafanaAuthParameter(config: PlatformConfig): string {
  return config.grafana.authParameter ?? `/${config.name}/grafana-auth`;
}
