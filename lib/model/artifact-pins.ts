import type { PlatformConfig } from '../config/schema';
import { architectureOf, type Architecture } from '../host/architecture';
import { pinArtifacts, type ArtifactName, type ArtifactSpec, type ResolvedArtifact } from '../host/artifacts';

/** The programs the app servers' telemetry agent installs, at the monitoring host's pins. */
export const AGENT_ARTIFACTS: readonly ArtifactName[] = ['node_exporter', 'otelcol-contrib'];

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
  const host = pinArtifacts(config, table, hostArchitecture);
  const isAgents = (a: { name: ArtifactName }) => AGENT_ARTIFACTS.includes(a.name);
  const agentOf = (arch: Architecture) => (arch === hostArchitecture ? host.filter(isAgents) : pinArtifacts(config, table.filter(isAgents), arch));
  return { table, hostArchitecture, host, agent: { x86_64: agentOf('x86_64'), arm64: agentOf('arm64') } };
}
