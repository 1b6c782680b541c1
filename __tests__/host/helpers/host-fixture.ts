import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlatformConfig } from '../../../lib/config/loader';
import type { PlatformConfig } from '../../../lib/config/schema';
import { ARTIFACTS, resolveArtifacts, type ArtifactSpec } from '../../../lib/host/artifacts';
import { configObjectKey } from '../../../lib/host/config-sync';
import { CONFIG_MANIFEST_OBJECT, configManifestParameterName, renderConfigManifest, sha256Hex } from '../../../lib/host/config-manifest';
import type { HostFile } from '../../../lib/shared/host-file';
import { renderHostFiles } from '../../../lib/render-host-files';
import { hostSecrets } from '../../../lib/host/secrets';
import { buildTestArtifact, run, sha256, startTestServer, type RunResult, type TestServer } from './artifact-server';
import { createFakeSystem, type FakeSystem } from './fake-system';
import { compilePlatform } from '../../../lib/model/compile';

export const REPO = join(__dirname, '..', '..', '..');
export const BUCKET = 'anvila-config-test';
export const PREFIX = 'anvila';
export const VOLUME_ID = 'vol-0123456789abcdef0';

/** The default config, on an instance type of this machine's architecture (the script checks uname -m). */
export function testConfig(overrides: (c: PlatformConfig) => PlatformConfig = (c) => c): PlatformConfig {
  const base = loadPlatformConfig(join(REPO, 'config', 'platform.yaml'));
  const instanceType = process.arch === 'arm64' ? 't4g.large' : 't3.large';
  return overrides({ ...base, host: { ...base.host, instanceType } });
}

/** A recording rule the sync tests change and break (the rendered rule files stay as they are). */
export const RULES_V1 = `groups:
  - name: test
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
`;

/**
 * A temporary host: root dir, fake system commands, fake bucket and SSM, and an artifact server. `putObject` and
 * `removeObject` publish as the stack does (the object, the manifest, the manifest's digest in SSM); the
 * `tamper*` methods write the bucket alone, as a writer of the bucket who cannot write the parameter would.
 */
export class TestHost {
  readonly base = mkdtempSync(join(tmpdir(), 'lgtm-host-'));
  readonly root = join(this.base, 'root');
  readonly fake: FakeSystem = createFakeSystem(this.base);
  server!: TestServer;
  readonly files: HostFile[];
  /** What the stack has published: path → file, the manifest's entries. */
  private readonly published = new Map<string, HostFile>();

  constructor(
    readonly config: PlatformConfig = testConfig(),
    readonly table: readonly ArtifactSpec[] = ARTIFACTS,
  ) {
    this.files = renderHostFiles(compilePlatform(config), { grafanaUrl: 'http://203.0.113.10:3000' });
    mkdirSync(join(this.root, 'etc', 'lgtm'), { recursive: true });
    writeFileSync(
      join(this.root, 'etc', 'lgtm', 'bootstrap.env'),
      `LGTM_BUCKET=${BUCKET}\nLGTM_PREFIX=${PREFIX}\nAWS_REGION=us-east-1\nDATA_VOLUME_ID=${VOLUME_ID}\n`,
    );
    const device = join(this.root, 'dev', 'disk', 'by-id', `nvme-Amazon_Elastic_Block_Store_${VOLUME_ID.replace('-', '')}`);
    mkdirSync(dirname(device), { recursive: true });
    writeFileSync(device, '');
    for (const file of this.files) this.published.set(file.path, file);
    this.published.set('/etc/prometheus/rules/test.yml', { path: '/etc/prometheus/rules/test.yml', content: RULES_V1 });
    for (const file of this.published.values()) this.tamperObject(file.path, file.content);
    this.publishManifest();
    for (const secret of hostSecrets(config)) writeFileSync(join(this.fake.ssm, secret.parameter.replace(/\//g, '_')), `value-of-${secret.name}`);
  }

  async start(table: readonly ArtifactSpec[] = this.table): Promise<void> {
    const served = new Map<string, Buffer>();
    for (const artifact of resolveArtifacts(this.config, table)) for (const [k, v] of buildTestArtifact(this.base, artifact)) served.set(k, v);
    this.server = await startTestServer(served);
  }

  /** Publishes a host file as the stack does: the object, and the manifest sealing it (mode from the rendered file). */
  putObject(path: string, content: string, mode = this.published.get(path)?.mode): void {
    this.published.set(path, { path, content, ...(mode ? { mode } : {}) });
    this.tamperObject(path, content);
    this.publishManifest();
  }

  /** Withdraws a host file as the stack does. */
  removeObject(path: string): void {
    this.published.delete(path);
    this.tamperObject(path, undefined);
    this.publishManifest();
  }

  /** Writes (or with `undefined` deletes) the bucket object of a host file, leaving manifest and parameter as they are. */
  tamperObject(path: string, content: string | undefined): void {
    this.writeBucketObject(configObjectKey(PREFIX, path), content);
  }

  /** Replaces the manifest object only; the parameter keeps the digest of the one the stack wrote. */
  tamperManifest(manifest: string): void {
    this.writeBucketObject(configObjectKey(PREFIX, CONFIG_MANIFEST_OBJECT), manifest);
  }

  /** Writes a manifest and its digest in the parameter, as the stack would for it (e.g. one the library would refuse to render). */
  publishManifest(manifest = renderConfigManifest([...this.published.values()])): void {
    this.tamperManifest(manifest);
    writeFileSync(join(this.fake.ssm, configManifestParameterName(this.config.name).replace(/\//g, '_')), sha256Hex(manifest));
  }

  /** The manifest as the stack would publish it now. */
  manifest(): string {
    return renderConfigManifest([...this.published.values()]);
  }

  private writeBucketObject(key: string, content: string | undefined): void {
    const target = join(this.fake.s3, BUCKET, key);
    if (content === undefined) return rmSync(target, { force: true });
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...this.fake.env,
      LGTM_ROOT: this.root,
      LGTM_DOWNLOAD_BASE: this.server.base,
      LGTM_DEVICE_WAIT_SECONDS: '2',
      LGTM_RELOAD_URL_ALERTMANAGER: `${this.server.base}/-/reload/alertmanager`,
      LGTM_RELOAD_URL_BLACKBOX_EXPORTER: `${this.server.base}/-/reload/blackbox_exporter`,
      ...extra,
    };
  }

  /** Writes a script as the host would have it and runs it under the root. */
  async runScript(path: string, content: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const target = join(this.root, path);
    mkdirSync(dirname(target), { recursive: true });
    if (!existsSync(target) || readFileSync(target, 'utf8') !== content) writeFileSync(target, content, { mode: 0o755 });
    return run('bash', [target], this.env(extraEnv), 60000);
  }

  file(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  /** Every path under the root with its content hash (or link target) and mode: a fingerprint of the tree. */
  snapshot(exclude: RegExp[] = []): Map<string, string> {
    const out = new Map<string, string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        const rel = full.slice(this.root.length);
        if (exclude.some((re) => re.test(rel))) continue;
        const st = lstatSync(full);
        if (st.isSymbolicLink()) out.set(rel, `-> ${readlinkSync(full)}`);
        else if (st.isDirectory()) {
          out.set(rel, `dir ${st.mode.toString(8)}`);
          walk(full);
        } else out.set(rel, `${st.mode.toString(8)} ${st.mtimeMs} ${sha256(readFileSync(full))}`);
      }
    };
    walk(this.root);
    return out;
  }

  async close(): Promise<void> {
    await this.server?.close();
    rmSync(this.base, { recursive: true, force: true });
  }
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
