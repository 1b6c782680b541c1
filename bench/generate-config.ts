import * as yaml from 'js-yaml';

/**
 * Platform configs of any size for the benchmarks: `services` services, each with two environments
 * (staging with a metrics target, production) and three SLOs (probe availability 99.5% over 30d, request
 * errors 99.5%, latency 99% under 0.5 s), the shape of the default config's one service.
 */
export interface GeneratedConfigOptions {
  readonly services: number;
  /** @default 3 (probe, errors, latency) */
  readonly slosPerService?: 1 | 2 | 3;
  /** @default 1 */
  readonly doraRepositories?: number;
}

export const GENERATED_SLOS = [
  { name: 'availability', objective: 99.5, window: '30d', sli: 'probe' },
  { name: 'requests', objective: 99.5, sli: 'errors' },
  { name: 'latency', objective: 99, sli: { latency: { threshold: 0.5 } } },
] as const;

export function serviceName(index: number): string {
  return `svc-${String(index + 1).padStart(3, '0')}`;
}

/** The platform description as plain data (what platform.yaml holds). */
export function generatedConfig(options: GeneratedConfigOptions): Record<string, unknown> {
  if (!Number.isInteger(options.services) || options.services < 1 || options.services > 60000) {
    throw new Error(`services must be a whole number from 1 to 60000, found ${options.services}`);
  }
  const slos = GENERATED_SLOS.slice(0, options.slosPerService ?? 3);
  const services = Array.from({ length: options.services }, (_, i) => {
    const name = serviceName(i);
    return {
      name,
      team: `team-${(i % 10) + 1}`,
      environments: [
        // 10.0.0.0/16 holds 65,536 addresses: enough distinct metrics targets for any size generated here
        { name: 'staging', probeUrl: `https://staging.${name}.example.com/health`, metricsTarget: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}:8000` },
        { name: 'production', probeUrl: `https://${name}.example.com/health` },
      ],
      slos: slos.map((slo) => ({ ...slo })),
    };
  });
  return {
    name: 'bench',
    region: 'us-east-1',
    host: { instanceType: 't3.large', grafanaAllowedCidrs: ['203.0.113.0/24'], telemetrySourceCidrs: ['10.0.0.0/16'], dataVolumeGiB: 50 },
    services,
    alerting: {
      slack: { webhookUrlParameter: '/bench/slack-webhook', channels: { critical: '#bench-incidents', warning: '#bench-alerts' } },
      runbookBaseUrl: 'https://github.com/acme/bench-observability/blob/main/runbooks',
    },
    dora: {
      githubTokenParameter: '/bench/github-token',
      repositories: Array.from({ length: options.doraRepositories ?? 1 }, (_, i) => ({ repo: `acme/${serviceName(i)}`, deployWorkflow: 'deploy.yml' })),
    },
  };
}

/** The same as YAML, ready to be written as a platform.yaml. */
export function generatedConfigYaml(options: GeneratedConfigOptions): string {
  return yaml.dump(generatedConfig(options), { lineWidth: -1, noRefs: true });
}
