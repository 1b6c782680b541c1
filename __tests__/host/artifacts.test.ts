import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformConfigError } from '../../lib/config/errors';
import { architectureOf } from '../../lib/host/architecture';
import { ARTIFACTS, resolveArtifacts } from '../../lib/host/artifacts';
import { renderInstallScript } from '../../lib/host/install-script';
import { compilePlatform } from '../../lib/model/compile';
import { REPO, testConfig } from './helpers/host-fixture';

describe('architectureOf', () => {
  test.each([
    ['t4g.large', 'arm64'],
    ['m7g.xlarge', 'arm64'],
    ['c6gn.medium', 'arm64'],
    ['r8g.2xlarge', 'arm64'],
    ['x2gd.large', 'arm64'],
    ['c7gd.large', 'arm64'],
    ['im4gn.large', 'arm64'],
    ['is4gen.large', 'arm64'],
    ['a1.large', 'arm64'],
    ['t3.large', 'x86_64'],
    ['m5a.large', 'x86_64'],
    ['c7i.large', 'x86_64'],
    ['m6id.large', 'x86_64'],
    ['g5.xlarge', 'x86_64'],
    ['t2.micro', 'x86_64'],
  ])('%s → %s', (type, arch) => expect(architectureOf(type)).toBe(arch));
});

describe('the pinned artifact table', () => {
  test('holds every program of the host exactly once', () => {
    expect(ARTIFACTS.map((a) => a.name).sort()).toEqual(
      ['alertmanager', 'blackbox_exporter', 'grafana', 'loki', 'node', 'node_exporter', 'otelcol-contrib', 'prometheus', 'tempo'].sort(),
    );
  });

  test('writes down no checksum: the source holds no SHA-256 digest at all', () => {
    const source = readFileSync(join(REPO, 'lib/host/artifacts.ts'), 'utf8');
    expect(source).not.toMatch(/[0-9a-f]{64}/i);
  });

  test.each(['x86_64', 'arm64'] as const)('%s: official https URLs, one checksum file per release, the archive named in the URL', (arch) => {
    const config = testConfig((c) => ({ ...c, host: { ...c.host, instanceType: arch === 'arm64' ? 't4g.large' : 't3.large' } }));
    const resolved = resolveArtifacts(config);
    const hosts = new Set(resolved.map((a) => new URL(a.url).host));
    expect([...hosts].sort()).toEqual(['dl.grafana.com', 'github.com', 'nodejs.org']);
    for (const a of resolved) {
      expect(a.arch).toBe(arch);
      expect(a.url.startsWith('https://')).toBe(true);
      expect(a.url.endsWith(`/${a.file}`)).toBe(true);
      expect(a.url).toContain(a.version);
      expect(a.file).toMatch(arch === 'arm64' ? /arm64/ : /amd64|x64/);
      expect(a.checksumUrl).toBeDefined();
      expect(a.pinnedSha256).toBeUndefined();
    }
    const byName = Object.fromEntries(resolved.map((a) => [a.name, a]));
    expect(byName.prometheus.checksumUrl).toBe(`https://github.com/prometheus/prometheus/releases/download/v${byName.prometheus.version}/sha256sums.txt`);
    expect(byName.loki.checksumUrl).toMatch(/\/SHA256SUMS$/);
    expect(byName.tempo.checksumUrl).toMatch(/\/SHA256SUMS$/);
    expect(byName['otelcol-contrib'].checksumUrl).toMatch(/\/opentelemetry-collector-releases_otelcol-contrib_checksums\.txt$/);
    expect(byName.node.checksumUrl).toMatch(/\/SHASUMS256\.txt$/);
    expect(byName.grafana.checksumUrl).toBe(`${byName.grafana.url}.sha256`);
    expect(byName.grafana.checksumFormat).toBe('sha256-file');
  });

  test('a user pin replaces the publisher checksum file for that artifact only', () => {
    const pin = 'c'.repeat(64);
    const config = testConfig((c) => ({ ...c, host: { ...c.host, instanceType: 't3.large', artifactChecksums: { 'loki-x86_64': pin } } }));
    const resolved = resolveArtifacts(config);
    expect(resolved.find((a) => a.name === 'loki')).toMatchObject({ pinnedSha256: pin, checksumUrl: undefined });
    expect(resolved.filter((a) => a.pinnedSha256)).toHaveLength(1);
    expect(renderInstallScript(compilePlatform(config))).toContain(`'${pin}'`);
  });

  test('an S3 or HTTPS mirror serves <prefix>/<name>/<version>/<file> and its copy of the checksum file', () => {
    const s3 = resolveArtifacts(
      testConfig((c) => ({ ...c, host: { ...c.host, instanceType: 't3.large', artifactMirror: { s3Bucket: 'acme-mirror', prefix: 'lgtm' } } })),
    );
    const prom = s3.find((a) => a.name === 'prometheus')!;
    expect(prom.url).toBe(`s3://acme-mirror/lgtm/prometheus/${prom.version}/prometheus-${prom.version}.linux-amd64.tar.gz`);
    expect(prom.checksumUrl).toBe(`s3://acme-mirror/lgtm/prometheus/${prom.version}/sha256sums.txt`);
    const https = resolveArtifacts(
      testConfig((c) => ({
        ...c,
        host: { ...c.host, instanceType: 't3.large', artifactMirror: { httpsBaseUrl: 'https://mirror.example.com/base/', prefix: 'lgtm-artifacts' } },
      })),
    );
    const grafana = https.find((a) => a.name === 'grafana')!;
    expect(grafana.url).toBe(`https://mirror.example.com/base/lgtm-artifacts/grafana/${grafana.version}/${grafana.file}`);
    expect(grafana.checksumUrl).toBe(`${grafana.url}.sha256`);
  });

  test("a pin naming no artifact is the user's error, with the allowed keys", () => {
    const config = testConfig((c) => ({ ...c, host: { ...c.host, artifactChecksums: { 'prometheus-amd64': 'd'.repeat(64) } } }));
    expect(() => resolveArtifacts(config)).toThrow(PlatformConfigError);
    expect(() => resolveArtifacts(config)).toThrow(
      /host\.artifactChecksums\.prometheus-amd64: found "prometheus-amd64"; expected a key <artifact>-<arch>, one of: .*prometheus-x86_64/,
    );
  });
});
