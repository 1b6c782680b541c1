import type { PlatformConfig } from '../config/schema';
import { architectureOf, type Architecture } from '../host/architecture';
import { pinArtifacts, type ArtifactName, type ArtifactSpec, type ResolvedArtifact } from '../host/artifacts';

/** The programs the app servers' telemetry agent installs, at the monitoring host's pins. */
export const AGENT_ARTIFACTS: readonly ArtifactName[] = ['node_exporter', 'otelcol-contrib'];

const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

/**
 * The resolved pin of every artifact the platform installs (version, URL or mirror, the publisher's checksum
 * file or the user's `host.artifactChecksums` digest), resolved once by the compile stage; the install scripts
 * read these instead of resolving again.
 */
export interface ArtifactPins {
  /** The table of pinned versions the pins come from: ARTIFACTS, or a test's own (an upgrade). */
  readonly table: readonly ArtifactSpec[];
  /** The monitoring host's architecture, implied by `host.instanceType`. */
  readonly hostArchitecture: Architecture;
  /** Every artifact the monitoring host installs, for its architecture, in table order. */
  readonly host: readonly ResolvedArtifact[];
  /** The agent's artifacts for each architecture: an app server learns its own only from `uname -m`. */
  readonly agent: Readonly<Record<Architecture, readonly ResolvedArtifact[]>>;
}

export function compileArtifactPins(config: PlatformConfig, table: readonly ArtifactSpec[]): ArtifactPins {
  const hostArchitecture = architectureOf(config.host.instanceType);
  const byArch = new Map(ARCHITECTURES.map((arch) => [arch, pinArtifacts(config, table, arch)]));
  const agentOf = (arch: Architecture) => byArch.get(arch)!.filter((a) => AGENT_ARTIFACTS.includes(a.name));
  return {
    table,
    hostArchitecture,
    host: byArch.get(hostArchitecture)!,
    agent: { x86_64: agentOf('x86_64'), arm64: agentOf('arm64') },
  };
}
