import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { PLACEHOLDER_WORKSPACE_ID } from '../../lib/contracts/scale-endpoints';
import { renderGrafanaIni } from '../../lib/host/grafana-ini';
import { PORTS } from '../../lib/contracts/ports';
import { hostSecretParameters } from '../../lib/host/secrets';
import { renderServiceUnit, serviceSpecs } from '../../lib/host/systemd-units';
import { renderPrometheusFiles } from '../../lib/prometheus/rule-files';
import { REMOTE_WRITE_QUEUE } from '../../lib/prometheus/remote-write';
import { PROMETHEUS_RULES_GLOB, renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { renderLokiConfig } from '../../lib/telemetry/loki';
import { renderTempoConfig } from '../../lib/telemetry/tempo';
import { platformConfig } from '../helpers/platform-fixtures';
import { LOKI_ALLOWLIST, TEMPO_ALLOWLIST, keysNotInAllowlist } from './allowlists';
import { CONTEXT, ENDPOINTS, SINGLE_CONTEXT, distributedConfig, remoteWriteConfig } from './fixtures';
import { compilePlatform } from '../../lib/model/compile';

const load = (text: string) => yaml.load(text) as any;

describe('GIVEN scale: distributed (examples/distributed.yaml)', () => {
  const config = distributedConfig();

  describe('WHEN Loki is rendered', () => {
    const loki = load(renderLokiConfig(config, CONTEXT));

    it('THEN chunks and index live in the S3 bucket, through the instance role (no keys in the file)', () => {
      expect(loki.common.storage).toEqual({ s3: { bucketnames: ENDPOINTS.lokiBucket, region: 'us-east-1', s3forcepathstyle: false } });
      expect(loki.schema_config.configs).toEqual([expect.objectContaining({ store: 'tsdb', object_store: 's3', schema: 'v13' })]);
      expect(loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 's3' });
      expect(JSON.stringify(loki)).not.toMatch(/access_key|secret/);
    });

    it('THEN its rings gossip over memberlist, so read/write targets can join, and retention follows host.retention.logs', () => {
      expect(loki.common.ring.kvstore.store).toBe('memberlist');
      expect(loki.memberlist).toMatchObject({ bind_port: PORTS.lokiMemberlist, join_members: [`127.0.0.1:${PORTS.lokiMemberlist}`] });
      expect(loki.limits_config.retention_period).toBe('720h');
    });

    it('THEN every key is one the pinned Loki reads (its config structs at the tag)', () => {
      expect(keysNotInAllowlist(loki, LOKI_ALLOWLIST.keys)).toEqual([]);
    });
  });

  describe('WHEN Tempo is rendered', () => {
    const tempo = load(renderTempoConfig(config, CONTEXT));

    it('THEN blocks live in the S3 bucket and the WAL on the data volume', () => {
      expect(tempo.storage.trace).toEqual({
        backend: 's3',
        wal: { path: '/var/lib/lgtm/tempo/wal' },
        s3: { bucket: ENDPOINTS.tempoBucket, endpoint: 's3.us-east-1.amazonaws.com', region: 'us-east-1' },
      });
      expect(tempo.compactor.compaction.block_retention).toBe('336h');
    });

    it("THEN its ring has its own memberlist port (Loki's is taken) and its OTLP receiver stays on loopback (the nodes' traces come through the host collector's TLS receiver)", () => {
      expect(tempo.memberlist.bind_port).toBe(PORTS.tempoMemberlist);
      expect(PORTS.tempoMemberlist).not.toBe(PORTS.lokiMemberlist);
      expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe(`127.0.0.1:${PORTS.tempoOtlpGrpc}`);
    });

    it('THEN every key is one the pinned Tempo reads (its config structs at the tag)', () => {
      expect(keysNotInAllowlist(tempo, TEMPO_ALLOWLIST.keys)).toEqual([]);
    });

    it('THEN its unit may reach S3 (the loopback-only address filter of the single host is gone)', () => {
      const unit = renderServiceUnit(
        serviceSpecs(config).find((s) => s.unit === 'tempo')!,
        config,
      );
      expect(unit).not.toMatch(/IPAddressDeny/);
      const single = platformConfig();
      expect(
        renderServiceUnit(
          serviceSpecs(single).find((s) => s.unit === 'tempo')!,
          single,
        ),
      ).toMatch(/IPAddressDeny=any/);
    });
  });

  describe('WHEN Prometheus is rendered', () => {
    const prometheus = load(renderPrometheusConfig(config, CONTEXT));

    it('THEN it remote-writes to the AMP workspace, signed with SigV4, with a queue sized for bursts', () => {
      expect(prometheus.remote_write).toEqual([
        expect.objectContaining({ url: ENDPOINTS.remoteWriteUrl, sigv4: { region: 'us-east-1' }, queue_config: { ...REMOTE_WRITE_QUEUE } }),
      ]);
      expect(REMOTE_WRITE_QUEUE.capacity).toBeGreaterThanOrEqual(REMOTE_WRITE_QUEUE.max_samples_per_send * 3);
    });

    it('THEN rules and alerts stay local: same rule files, same Alertmanager', () => {
      const single = load(renderPrometheusConfig(platformConfig(), SINGLE_CONTEXT));
      expect(prometheus.rule_files).toEqual(single.rule_files);
      expect(prometheus.alerting).toEqual(single.alerting);
      expect(single.remote_write).toBeUndefined();
    });

    it('THEN without an infra stack (npm run render) the URL is a recognisable placeholder', () => {
      expect(load(renderPrometheusConfig(config)).remote_write[0].url).toContain(PLACEHOLDER_WORKSPACE_ID);
    });
  });

  it("THEN grafana.ini lets the Prometheus data source sign with SigV4 (the single host's does not)", () => {
    expect(renderGrafanaIni(config, CONTEXT)).toMatch(/\[auth\]\nsigv4_auth_enabled = true\n/);
    expect(renderGrafanaIni(platformConfig(), SINGLE_CONTEXT)).not.toMatch(/sigv4/);
  });
});

describe('GIVEN a remote-write store with basic auth and a tenant (Mimir-style)', () => {
  const config = remoteWriteConfig();
  const prometheus = load(renderPrometheusConfig(config));

  it('THEN the password is read from a systemd credential filled from SSM, never written in the file', () => {
    expect(prometheus.remote_write[0]).toMatchObject({
      url: 'https://mimir.shop.example/api/v1/push',
      basic_auth: { username: 'shop-prometheus', password_file: '/run/credentials/prometheus.service/remote-write-password' },
      headers: { 'X-Scope-OrgID': 'shop' },
    });
    expect(prometheus.remote_write[0].sigv4).toBeUndefined();
    expect(hostSecretParameters(config)).toContain('/shop/mimir-password');
    const unit = renderServiceUnit(
      serviceSpecs(config).find((s) => s.unit === 'prometheus')!,
      config,
    );
    expect(unit).toMatch(/^LoadCredential=remote-write-password:\/run\/lgtm-secrets\/remote-write-password$/m);
  });

  it('THEN Tempo keeps its loopback OTLP receiver (no ingest nodes)', () => {
    const tempo = load(renderTempoConfig(config));
    expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe(`127.0.0.1:${PORTS.tempoOtlpGrpc}`);
    expect(keysNotInAllowlist(tempo, TEMPO_ALLOWLIST.keys)).toEqual([]);
  });
});

describe('GIVEN the pinned promtool', () => {
  function checkConfig(text: string): { status: number | null; output: string } {
    const dir = mkdtempSync(join(tmpdir(), 'scale-prom-'));
    try {
      const file = join(dir, 'prometheus.yml');
      mkdirSync(join(dir, 'rules'));
      writeFileSync(file, text.replace(PROMETHEUS_RULES_GLOB, join(dir, 'rules/*.yml')));
      const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 30000 });
      if (result.error) throw result.error;
      return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('WHEN it checks the distributed prometheus.yml with SigV4 remote_write THEN it accepts it', () => {
    const result = checkConfig(renderPrometheusConfig(distributedConfig(), CONTEXT));
    if (result.status !== 0) throw new Error(result.output);
    expect(result.output).toMatch(/SUCCESS/);
  });

  it('WHEN it checks the remote-write store with basic auth THEN it accepts it', () => {
    const config = remoteWriteConfig();
    const files = renderPrometheusFiles(compilePlatform(config), SINGLE_CONTEXT);
    const text = files.find((f) => f.path === '/etc/prometheus/prometheus.yml')!.content;
    const result = checkConfig(text);
    if (result.status !== 0) throw new Error(result.output);
    expect(result.status).toBe(0);
  });

  it('WHEN SigV4 is combined with basic auth (a broken render) THEN it refuses it (the check can fail)', () => {
    const text = renderPrometheusConfig(distributedConfig(), CONTEXT).replace(
      /sigv4:\n(\s+)region: us-east-1/,
      (_m, indent) => `sigv4:\n${indent}region: us-east-1\n${indent.slice(2)}basic_auth:\n${indent}username: x\n${indent}password: y`,
    );
    expect(text).toMatch(/basic_auth/);
    expect(checkConfig(text).status).not.toBe(0);
  });
});
