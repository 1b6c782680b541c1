import type { PlatformConfig } from '../../config/schema';
import { PlatformInternalError } from '../../config/errors';
import type { HostFile } from '../../shared/host-file';
import { alertmanager } from './alertmanager';
import { blackboxExporter } from './blackbox-exporter';
import { doraExporter } from './dora-exporter';
import { grafana } from './grafana';
import { loki } from './loki';
import { MACHINERY_FILE_GROUPS } from './machinery';
import { nodeExporter } from './node-exporter';
import { otelcol } from './otelcol';
import { prometheus } from './prometheus';
import { tempo } from './tempo';
import type { HostServiceDescriptor, OwnedFiles, PortReach } from './types';

export { alertmanager, blackboxExporter, doraExporter, grafana, loki, nodeExporter, otelcol, prometheus, tempo };

/** Every program the monitoring host can run, in start order (the units' and the install script's order). */
export const HOST_SERVICES: readonly HostServiceDescriptor[] = [
  prometheus,
  alertmanager,
  nodeExporter,
  blackboxExporter,
  loki,
  tempo,
  otelcol,
  grafana,
  doraExporter,
];

/** The programs this config's host runs. */
export function hostServicesOf(config: PlatformConfig): HostServiceDescriptor[] {
  return HOST_SERVICES.filter((service) => service.runsWhen?.(config) ?? true);
}

/** One group of host files in the config sync: a program's configuration, or the machinery's scripts or units. */
export interface SyncFileGroup {
  readonly group: string;
  readonly files: OwnedFiles;
}

/**
 * Every file group of the sync, programs first (in start order), then the machinery's: the sync's tables are
 * generated from this list whatever the config runs, so a file of a program this config leaves out still
 * finds its group.
 */
export const SYNC_FILE_GROUPS: readonly SyncFileGroup[] = [
  ...HOST_SERVICES.flatMap((service) => (service.files ? [{ group: service.unit, files: service.files }] : [])),
  ...MACHINERY_FILE_GROUPS,
];

/** Whether a bash `case` pattern (`*` matches any text, `/` included) matches a path. */
export function matchesPattern(pattern: string, path: string): boolean {
  const regex = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${regex}$`).test(path);
}

/** The groups owning an absolute host path (exactly one, for every file the platform renders). */
export function groupsOwning(path: string): SyncFileGroup[] {
  return SYNC_FILE_GROUPS.filter((g) => g.files.dirs.some((dir) => path.startsWith(`${dir}/`)));
}

/**
 * Why the sync could not handle these host files safely, one line per file: a file no group owns would fall
 * into the sync's group `other` (never validated, its program never restarted); a file owned twice would be
 * validated by one program and reach another; a file of a group with a checker that the checker does not read
 * would go live unchecked. renderHostFiles reports them as a PlatformInternalError.
 */
export function hostFileOwnerProblems(files: readonly Pick<HostFile, 'path'>[]): string[] {
  const problems: string[] = [];
  for (const { path } of files) {
    const owners = groupsOwning(path);
    if (owners.length === 0)
      problems.push(
        `${path}: no host service descriptor (lib/host/services/) owns its directory, so the config sync would never validate it nor restart its program`,
      );
    else if (owners.length > 1) problems.push(`${path}: owned by more than one sync group (${owners.map((g) => g.group).join(', ')})`);
    else {
      const { checker } = owners[0].files;
      if (checker.kind === 'command' && !checker.covers.some((pattern) => matchesPattern(pattern, path)))
        problems.push(`${path}: the checker of group ${owners[0].group} does not read it (its covers: ${checker.covers.join(', ')})`);
    }
  }
  return problems;
}

/** The groups whose files no program checks before they go live, each with why that is acceptable. */
export function groupsWithoutChecker(): { readonly group: string; readonly reason: string }[] {
  return SYNC_FILE_GROUPS.flatMap(({ group, files: { checker } }) => (checker.kind === 'none' ? [{ group, reason: checker.reason }] : []));
}

/** The port a service's scrape job scrapes: the one of its ports marked `metrics`. */
export function metricsPort(service: HostServiceDescriptor, config: PlatformConfig): number {
  const ports = service.ports(config).filter((p) => p.metrics);
  if (ports.length !== 1)
    throw new PlatformInternalError(`lib/host/services/ (${service.unit})`, [`${ports.length} ports marked metrics; exactly one serves its own metrics`]);
  return ports[0].port;
}

/** Who outside the host may open one of its ports (everyone but `loopback`). */
export type NetworkReach = Exclude<PortReach, 'loopback'>;

/**
 * The host ports `who` may open, in the services' start order: what the security groups admit, generated from the
 * descriptors of the programs this config runs (HostSecurityGroup for the networks, IngestFleet for the nodes).
 */
export function hostPortsReachedBy(config: PlatformConfig, who: NetworkReach): number[] {
  const ports = hostServicesOf(config).flatMap((service) =>
    service
      .ports(config)
      .filter((port) => port.reach.includes(who))
      .map((port) => port.port),
  );
  return [...new Set(ports)];
}

/** The one port Grafana's users reach (its load balancer, with a certificate, or their CIDRs). */
export function grafanaUsersPort(config: PlatformConfig): number {
  const ports = hostPortsReachedBy(config, 'grafana-users');
  if (ports.length !== 1)
    throw new PlatformInternalError('lib/host/services/', [
      `${ports.length} host ports reached by grafana-users; the security groups admit Grafana on exactly one`,
    ]);
  return ports[0];
}

/**
 * The scrape jobs PlatformComponentDown watches, in start order: those of the services whose descriptor names it
 * as their down alert (the others have one of their own).
 */
export function platformComponentJobs(): string[] {
  return HOST_SERVICES.filter((service) => service.downAlert === 'PlatformComponentDown').map((service) => service.scrapeJob);
}
