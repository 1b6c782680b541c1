// The public API of the library, and nothing else.
export { ObservabilityPlatform, type ObservabilityPlatformProps } from './platform';
export { loadPlatformConfig, parsePlatformConfig, validatePlatformConfig } from './config/loader';
export { PlatformConfigError } from './config/errors';
export {
  platformSchema,
  durationSeconds,
  type PlatformConfig,
  type ServiceConfig,
  type EnvironmentConfig,
  type SloConfig,
  type DoraConfig,
  type AlertThresholds,
} from './config/schema';
export { InfraStack, type InfraStackProps } from './host/infra-stack';
export { MonitoringHost, type MonitoringHostProps } from './host/monitoring-host';
export { ConfigBucket, type ConfigBucketProps } from './host/config-bucket';
export { HostSecurityGroup, type HostSecurityGroupProps } from './host/host-security-group';
export { HostRole, type HostRoleProps } from './host/host-role';
export { renderHostFiles } from './host/host-files';
export type { HostFile, HostContext } from './host/host-file';
export { architectureOf, type Architecture } from './host/architecture';
export { PORTS } from './host/ports';
