import { hostSecrets } from '../host/secrets';
import type { PlatformConfig } from './schema';

/** Every SSM parameter the host itself reads at boot (lib/host/secrets.ts), sorted and unique. */
export function hostSecretParameters(config: PlatformConfig): string[] {
  return [...new Set(hostSecrets(config).map((secret) => secret.parameter))].sort();
}

/** The SSM parameter holding the Grafana provider's credentials, which only Terraform reads. @default /<name>/grafana-auth */
export function grafanaAuthParameter(config: PlatformConfig): string {
  return config.grafana.authParameter ?? `/${config.name}/grafana-auth`;
}
