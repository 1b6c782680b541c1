import type { PlatformConfig } from '../config/schema';
import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import { architectureOf, type Architecture } from './architecture';

/**
 * How the publisher states an archive's SHA-256:
 * - `sha256sums`: one file per release listing `<hex>  <file name>` lines (sha256sums.txt, SHA256SUMS,
 *   checksums.txt, SHASUMS256.txt);
 * - `sha256-file`: a `<archive>.sha256` file next to the archive holding the hex digest.
 */
export type ChecksumFormat = 'sha256sums' | 'sha256-file';
export type ArchiveType = 'tar.gz' | 'tar.xz' | 'zip';

export type ArtifactName = 'prometheus' | 'alertmanager' | 'node_exporter' | 'blackbox_exporter' | 'grafana' | 'loki' | 'tempo' | 'otelcol-contrib' | 'node';

/** One program on the host, pinned to a version, for both architectures. */
export interface ArtifactSpec {
  readonly name: ArtifactName;
  readonly version: string;
  readonly archive: ArchiveType;
  readonly checksumFormat: ChecksumFormat;
  /** Archive file name of a version for an architecture. */
  readonly file: (version: string, arch: Architecture) => string;
  /** Official download URL of the archive. */
  readonly url: (version: string, arch: Architecture) => string;
  /** Official URL of the publisher's checksum file for that archive. */
  readonly checksumUrl: (version: string, arch: Architecture) => string;
  /** Executables inside the unpacked archive (after a single top-level directory is stripped). */
  readonly executables: (arch: Architecture) => Readonly<Record<string, string>>;
}

const GO_ARCH: Record<Architecture, string> = { x86_64: 'amd64', arm64: 'arm64' };
const NODE_ARCH: Record<Architecture, string> = { x86_64: 'x64', arm64: 'arm64' };

const dirOf = (url: string) => url.slice(0, url.lastIndexOf('/'));

/** A Prometheus-project release: `<name>-<v>.linux-<arch>.tar.gz` with `sha256sums.txt`. */
function prometheusProject(name: ArtifactName, repo: string, pinned: string, binaries: string[]): ArtifactSpec {
  const file = (version: string, arch: Architecture) => `${name}-${version}.linux-${GO_ARCH[arch]}.tar.gz`;
  const url = (version: string, arch: Architecture) => `https://github.com/${repo}/releases/download/v${version}/${file(version, arch)}`;
  return {
    name,
    version: pinned,
    archive: 'tar.gz',
    checksumFormat: 'sha256sums',
    file,
    url,
    checksumUrl: (version, arch) => `${dirOf(url(version, arch))}/sha256sums.txt`,
    executables: () => Object.fromEntries(binaries.map((b) => [b, b])),
  };
}

/**
 * The one table of pinned versions, each the newest stable release (its date in the comment) whose Go module the
 * test machines' module proxy serves, because scripts/oracles.sh builds the very same versions as test oracles.
 * otelcol-contrib stays at 0.160.0: the newest release at which every contrib module the platform's collector
 * configs use resolves (hostmetrics and journald receivers). Loki, Tempo and Grafana (AGPL, never built here) are
 * pinned to the newest release whose source at the tag could be read (their rendered keys are checked against
 * allowlists read from that source, __tests__/scale/allowlists/). Tempo stays on 2.x: 3.0 removed the ingester
 * and compactor modules this host's tempo.yml configures (ingester, compactor, the local-blocks processor and
 * their rings), so moving to it is a new Tempo config, not a pin change; 2.10 is still patched (2.10.8 shipped
 * the same day as 3.0.3). Checksums are deliberately absent: the host verifies each download
 * against the publisher's checksum file for that release, or against the user's pin in
 * `host.artifactChecksums`; a digest nobody has seen is never written down here.
 */
export const ARTIFACTS: readonly ArtifactSpec[] = [
  // 3.16.0, 2026-11-05 (Go module v0.316.0)
  prometheusProject('prometheus', 'prometheus/prometheus', '3.16.0', ['prometheus', 'promtool']),
  // 0.35.0, 2026-11-09
  prometheusProject('alertmanager', 'prometheus/alertmanager', '0.35.0', ['alertmanager', 'amtool']),
  // 1.12.1, 2026-07-14
  prometheusProject('node_exporter', 'prometheus/node_exporter', '1.12.1', ['node_exporter']),
  // 0.28.0, 2025-12-04
  prometheusProject('blackbox_exporter', 'prometheus/blackbox_exporter', '0.28.0', ['blackbox_exporter']),
  // 13.2.2, 2026-09-15 (the oss/release path still serves 13.x archives, each with its .sha256 beside it)
  (() => {
    const file = (version: string, arch: Architecture) => `grafana-${version}.linux-${GO_ARCH[arch]}.tar.gz`;
    const url = (version: string, arch: Architecture) => `https://dl.grafana.com/oss/release/${file(version, arch)}`;
    return {
      name: 'grafana',
      version: '13.2.2',
      archive: 'tar.gz',
      checksumFormat: 'sha256-file',
      file,
      url,
      checksumUrl: (version: string, arch: Architecture) => `${url(version, arch)}.sha256`,
      executables: () => ({ grafana: 'bin/grafana' }),
    } satisfies ArtifactSpec;
  })(),
  // 3.7.6, 2026-08-05
  (() => {
    const file = (_version: string, arch: Architecture) => `loki-linux-${GO_ARCH[arch]}.zip`;
    const url = (version: string, arch: Architecture) => `https://github.com/grafana/loki/releases/download/v${version}/${file(version, arch)}`;
    return {
      name: 'loki',
      version: '3.7.6',
      archive: 'zip',
      checksumFormat: 'sha256sums',
      file,
      url,
      checksumUrl: (version: string, arch: Architecture) => `${dirOf(url(version, arch))}/SHA256SUMS`,
      executables: (arch: Architecture) => ({ loki: `loki-linux-${GO_ARCH[arch]}` }),
    } satisfies ArtifactSpec;
  })(),
  // 2.10.8, 2026-08-13 (newest 2.x; 3.0.3 the same day, see above)
  (() => {
    const file = (version: string, arch: Architecture) => `tempo_${version}_linux_${GO_ARCH[arch]}.tar.gz`;
    const url = (version: string, arch: Architecture) => `https://github.com/grafana/tempo/releases/download/v${version}/${file(version, arch)}`;
    return {
      name: 'tempo',
      version: '2.10.8',
      archive: 'tar.gz',
      checksumFormat: 'sha256sums',
      file,
      url,
      checksumUrl: (version: string, arch: Architecture) => `${dirOf(url(version, arch))}/SHA256SUMS`,
      executables: () => ({ tempo: 'tempo' }),
    } satisfies ArtifactSpec;
  })(),
  (() => {
    const file = (version: string, arch: Architecture) => `otelcol-contrib_${version}_linux_${GO_ARCH[arch]}.tar.gz`;
    const url = (version: string, arch: Architecture) =>
      `https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download/v${version}/${file(version, arch)}`;
    return {
      name: 'otelcol-contrib',
      // 0.160.0, 2026-09-02
      version: '0.160.0',
      archive: 'tar.gz',
      checksumFormat: 'sha256sums',
      file,
      url,
      checksumUrl: (version: string, arch: Architecture) => `${dirOf(url(version, arch))}/opentelemetry-collector-releases_otelcol-contrib_checksums.txt`,
      executables: () => ({ 'otelcol-contrib': 'otelcol-contrib' }),
    } satisfies ArtifactSpec;
  })(),
  // 22.18.0 'Jod' (LTS), 2025-07-31: the DORA exporter's runtime, not a test oracle
  (() => {
    const file = (version: string, arch: Architecture) => `node-v${version}-linux-${NODE_ARCH[arch]}.tar.xz`;
    const url = (version: string, arch: Architecture) => `https://nodejs.org/dist/v${version}/${file(version, arch)}`;
    return {
      name: 'node',
      version: '22.18.0',
      archive: 'tar.xz',
      checksumFormat: 'sha256sums',
      file,
      url,
      checksumUrl: (version: string, arch: Architecture) => `${dirOf(url(version, arch))}/SHASUMS256.txt`,
      executables: () => ({ node: 'bin/node' }),
    } satisfies ArtifactSpec;
  })(),
];

/** One artifact as the host downloads it: architecture chosen, mirror and pin applied. */
export interface ResolvedArtifact {
  readonly name: ArtifactName;
  readonly version: string;
  readonly arch: Architecture;
  readonly archive: ArchiveType;
  readonly file: string;
  /** Where the archive is fetched from: an https URL, or `s3://...` for an S3 mirror. */
  readonly url: string;
  /** The publisher's checksum file (or its mirrored copy); absent when the user pinned a digest. */
  readonly checksumUrl?: string;
  readonly checksumFormat: ChecksumFormat;
  /** The user's pin from `host.artifactChecksums[<name>-<arch>]`. */
  readonly pinnedSha256?: string;
  /** Path inside a mirror (and inside `LGTM_DOWNLOAD_BASE`): `<name>/<version>/<file>`. */
  readonly mirrorPath: string;
  readonly mirrorChecksumPath: string;
  readonly executables: Readonly<Record<string, string>>;
}

/** Key of a pin in `host.artifactChecksums`, e.g. `prometheus-x86_64`. */
export function pinKey(name: ArtifactName, arch: Architecture): string {
  return `${name}-${arch}`;
}

const basename = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** Every pin of `host.artifactChecksums` that names no artifact of `table`. */
export function artifactChecksumProblems(config: PlatformConfig, file: string, table: readonly ArtifactSpec[] = ARTIFACTS): PlatformConfigError[] {
  const known = new Set(table.flatMap((a) => (['x86_64', 'arm64'] as const).map((x) => pinKey(a.name, x))));
  return Object.keys(config.host.artifactChecksums)
    .filter((key) => !known.has(key))
    .map(
      (key) =>
        new PlatformConfigError(
          file,
          `host.artifactChecksums.${key}`,
          JSON.stringify(key),
          `expected a key <artifact>-<arch>, one of: ${[...known].join(', ')}`,
        ),
    );
}

/**
 * The artifacts this config's host downloads. Throws PlatformConfigError for a pin naming no artifact.
 * `table` is the pinned table; tests pass their own to exercise upgrades. `arch` defaults to the monitoring
 * host's; the app servers' agent resolves both, since it learns its architecture only from `uname -m`.
 */
export function resolveArtifacts(
  config: PlatformConfig,
  table: readonly ArtifactSpec[] = ARTIFACTS,
  arch: Architecture = architectureOf(config.host.instanceType),
): ResolvedArtifact[] {
  throwConfigErrors(artifactChecksumProblems(config, 'platform config', table));
  return pinArtifacts(config, table, arch);
}

/**
 * The artifacts of `table` for `arch`, with the config's mirror and pins applied. A pin naming no artifact is
 * ignored here: the compile stage resolves before the cross-checks, which report it with the config's other
 * mistakes (artifactChecksumProblems).
 */
export function pinArtifacts(config: PlatformConfig, table: readonly ArtifactSpec[], arch: Architecture): ResolvedArtifact[] {
  const mirror = config.host.artifactMirror;
  const mirrorBase = mirror?.s3Bucket
    ? `s3://${mirror.s3Bucket}/${mirror.prefix}`
    : mirror?.httpsBaseUrl
      ? `${mirror.httpsBaseUrl.replace(/\/+$/, '')}/${mirror.prefix}`
      : undefined;
  return table.map((spec) => {
    const file = spec.file(spec.version, arch);
    const checksumFile = basename(spec.checksumUrl(spec.version, arch));
    const mirrorPath = `${spec.name}/${spec.version}/${file}`;
    const mirrorChecksumPath = `${spec.name}/${spec.version}/${checksumFile}`;
    const pinned = config.host.artifactChecksums[pinKey(spec.name, arch)];
    return {
      name: spec.name,
      version: spec.version,
      arch,
      archive: spec.archive,
      file,
      url: mirrorBase ? `${mirrorBase}/${mirrorPath}` : spec.url(spec.version, arch),
      checksumUrl: pinned ? undefined : mirrorBase ? `${mirrorBase}/${mirrorChecksumPath}` : spec.checksumUrl(spec.version, arch),
      checksumFormat: spec.checksumFormat,
      pinnedSha256: pinned,
      mirrorPath,
      mirrorChecksumPath,
      executables: spec.executables(arch),
    };
  });
}

/** Absolute path of an installed executable, e.g. `/opt/lgtm/prometheus/current/promtool` (`optRoot`: the install root). */
export function executablePath(
  name: ArtifactName,
  executable: string,
  arch: Architecture,
  table: readonly ArtifactSpec[] = ARTIFACTS,
  optRoot = '/opt/lgtm',
): string {
  const spec = table.find((a) => a.name === name);
  if (!spec) throw new Error(`no artifact ${name}`);
  const relative = spec.executables(arch)[executable];
  if (!relative) throw new Error(`artifact ${name} has no executable ${executable}`);
  return `${optRoot}/${name}/current/${relative}`;
}
