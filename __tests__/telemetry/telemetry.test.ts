import { load } from 'js-yaml';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { renderHostFiles } from '../../lib/render-host-files';
import { renderGrafanaIni } from '../../lib/host/grafana-ini';
import { PORTS } from '../../lib/contracts/ports';
import { renderLokiConfig } from '../../lib/telemetry/loki';
import { renderOtelcolConfig } from '../../lib/telemetry/otelcol';
import { TEMPO_RING_ADDRESS_KEYS, renderTempoConfig, tempoRingAddressProblems } from '../../lib/telemetry/tempo';
import { join } from 'node:path';
import { compilePlatform } from '../../lib/model/compile';

type Yaml = any;
const base = loadPlatformConfig(join(__dirname, '..', '..', 'config', 'platform.yaml'));
const withRetention = (r: Partial<PlatformConfig['host']['retention']>): PlatformConfig => ({
  ...base,
  host: { ...base.host, retention: { ...base.host.retention, ...r } },
});

describe('Loki config', () => {
  const loki: Yaml = load(renderLokiConfig(base));

  test('stores chunks and index on the data volume with the TSDB v13 schema OTLP ingestion needs', () => {
    expect(loki.common.path_prefix).toBe('/var/lib/lgtm/loki');
    expect(loki.common.storage.filesystem.chunks_directory).toBe('/var/lib/lgtm/loki/chunks');
    expect(loki.schema_config.configs).toEqual([expect.objectContaining({ store: 'tsdb', object_store: 'filesystem', schema: 'v13', from: '2024-01-01' })]);
    expect(loki.limits_config.allow_structured_metadata).toBe(true);
  });

  test('enforces host.retention.logs through the compactor', () => {
    expect(loki.limits_config.retention_period).toBe('336h');
    expect(loki.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem' });
    expect((load(renderLokiConfig(withRetention({ logs: '30d' }))) as Yaml).limits_config.retention_period).toBe('720h');
  });

  test('HTTP and gRPC listen on loopback only: Loki has no authentication, so only the host collector reaches it', () => {
    expect(loki.server).toMatchObject({
      http_listen_address: '127.0.0.1',
      http_listen_port: PORTS.loki,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: PORTS.lokiGrpc,
    });
    expect(loki.auth_enabled).toBe(false);
  });
});

describe('Tempo config', () => {
  const tempo: Yaml = load(renderTempoConfig(base));

  test('stores blocks locally on the data volume and keeps them host.retention.traces', () => {
    expect(tempo.storage.trace).toEqual({ backend: 'local', wal: { path: '/var/lib/lgtm/tempo/wal' }, local: { path: '/var/lib/lgtm/tempo/blocks' } });
    expect(tempo.compactor.compaction.block_retention).toBe('168h');
    expect((load(renderTempoConfig(withRetention({ traces: '12h' }))) as Yaml).compactor.compaction.block_retention).toBe('12h');
  });

  test('receives OTLP from the collector on loopback and serves its API on loopback', () => {
    expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toBe(`127.0.0.1:${PORTS.tempoOtlpGrpc}`);
    expect(tempo.server).toMatchObject({ http_listen_address: '127.0.0.1', http_listen_port: PORTS.tempo, grpc_listen_address: '127.0.0.1' });
  });

  test.each([
    ['the default config', base],
    ['examples/distributed.yaml', loadPlatformConfig(join(__dirname, '..', '..', 'examples', 'distributed.yaml'))],
  ])('GIVEN %s THEN every ring Tempo joins advertises the address gRPC listens on, never one dskit looks up', (_name, config) => {
    const doc: Yaml = load(renderTempoConfig(config));
    expect(tempoRingAddressProblems(doc)).toEqual([]);
    expect(doc.ingester.lifecycler.address).toBe(doc.server.grpc_listen_address);
    expect(doc.metrics_generator.ring.instance_addr).toBe('127.0.0.1');
  });

  test('GIVEN a tempo.yml without ring addresses, or with a private one THEN each ring is reported with what was found', () => {
    const doc: Yaml = load(renderTempoConfig(base));
    delete doc.ingester.lifecycler;
    doc.metrics_generator.ring.instance_addr = '10.0.3.17';
    const problems = tempoRingAddressProblems(doc);
    expect(problems).toEqual([
      'ingester.lifecycler.address is null; every ring must advertise server.grpc_listen_address ("127.0.0.1")',
      'metrics_generator.ring.instance_addr is "10.0.3.17"; every ring must advertise server.grpc_listen_address ("127.0.0.1")',
    ]);
    expect(TEMPO_RING_ADDRESS_KEYS).toContain('ingester.lifecycler.address');
  });

  test('the metrics-generator writes span metrics and service graphs into Prometheus', () => {
    expect(tempo.overrides.defaults.metrics_generator.processors).toEqual(expect.arrayContaining(['service-graphs', 'span-metrics']));
    expect(tempo.metrics_generator.storage.remote_write).toEqual([{ url: `http://127.0.0.1:${PORTS.prometheus}/api/v1/write`, send_exemplars: true }]);
  });
});

describe('OpenTelemetry Collector config', () => {
  const otel: Yaml = load(renderOtelcolConfig(base));

  test("receives OTLP over gRPC and HTTP over TLS 1.2+, one receiver per environment on its own ports, each accepting only that environment's tokens and at most 8 MiB a request", () => {
    expect(Object.keys(otel.receivers)).toEqual(['otlp/staging', 'otlp/production']);
    const tls = {
      cert_file: '/run/credentials/otelcol.service/otlp-tls-certificate',
      key_file: '/run/credentials/otelcol.service/otlp-tls-key',
      min_version: '1.2',
    };
    for (const [name, grpc, http] of [
      ['staging', PORTS.otlpGrpc, PORTS.otlpHttp],
      ['production', PORTS.otlpGrpc + 2, PORTS.otlpHttp + 2],
    ] as const) {
      const auth = { authenticator: `bearertokenauth/${name}` };
      expect(otel.receivers[`otlp/${name}`].protocols).toEqual({
        grpc: { endpoint: `0.0.0.0:${grpc}`, auth, max_recv_msg_size_mib: 8, tls },
        http: { endpoint: `0.0.0.0:${http}`, auth, max_request_body_size: 8 * 1024 * 1024, tls },
      });
      // The token file is the collector's systemd credential, filled at boot by lgtm-secrets from <host.otlpTokenParameter>/<environment>.
      expect(otel.extensions[`bearertokenauth/${name}`]).toEqual({ filename: `/run/credentials/otelcol.service/otlp-token-${name}` });
      expect(otel.service.extensions).toContain(`bearertokenauth/${name}`);
    }
    expect(renderOtelcolConfig(base)).not.toMatch(/insecure_skip_verify|0\.0\.0\.0:(?!43)/);
  });

  test("labels everything a receiver accepts with that receiver's environment, whatever the sender claimed", () => {
    for (const name of ['staging', 'production']) {
      expect(otel.processors[`resource/environment-${name}`].attributes).toEqual([
        { key: 'environment', value: name, action: 'upsert' },
        { key: 'deployment.environment', value: name, action: 'upsert' },
      ]);
      for (const signal of ['logs', 'traces', 'metrics']) {
        const pipeline = otel.service.pipelines[`${signal}/${name}`];
        expect(pipeline.receivers).toEqual([`otlp/${name}`]);
        expect(pipeline.processors.slice(0, 2)).toEqual(['memory_limiter', `resource/environment-${name}`]);
      }
    }
  });

  test('routes logs to Loki, traces to Tempo, metrics to Prometheus, each through memory_limiter then batch', () => {
    const { pipelines } = otel.service;
    expect(Object.keys(pipelines).sort()).toEqual([
      'logs/production',
      'logs/staging',
      'metrics/production',
      'metrics/staging',
      'traces/production',
      'traces/staging',
    ]);
    for (const p of Object.values<Yaml>(pipelines)) {
      expect(p.processors[0]).toBe('memory_limiter');
      expect(p.processors.at(-1)).toBe('batch');
      for (const e of p.exporters) expect(otel.exporters[e]).toBeDefined();
    }
    expect(otel.exporters[pipelines['logs/staging'].exporters[0]].endpoint).toBe(`http://127.0.0.1:${PORTS.loki}/otlp`);
    expect(otel.exporters[pipelines['traces/staging'].exporters[0]].endpoint).toBe(`127.0.0.1:${PORTS.tempoOtlpGrpc}`);
    expect(otel.exporters[pipelines['metrics/staging'].exporters[0]].endpoint).toBe(`http://127.0.0.1:${PORTS.prometheus}/api/v1/write`);
    expect(otel.processors.memory_limiter.limit_mib).toBeGreaterThan(otel.processors.memory_limiter.spike_limit_mib);
  });

  describe("pushed telemetry cannot produce the platform's own series", () => {
    /** Which of the rendered filter conditions (IsMatch on a resource attribute or the name, Go RE2 syntax that JS shares here) drop a metric. */
    const dropped = (resource: Record<string, string>, name: string) =>
      (otel.processors['filter/reserved-series'].metrics.metric as string[]).filter((condition) => {
        const m = /^IsMatch\((resource\.attributes\["([^"]+)"\]|name), "((?:[^"\\]|\\.)*)"\)$/.exec(condition);
        if (!m) throw new Error(`unexpected condition shape: ${condition}`);
        const subject = m[1] === 'name' ? name : resource[m[2]];
        return subject !== undefined && new RegExp(JSON.parse(`"${m[3]}"`)).test(subject);
      });

    test.each([
      ['up{job="node"} (silences HostDown)', { 'service.name': 'node' }, 'up'],
      ['a fake app SLI input under job="app"', { 'service.name': 'app' }, 'http_requests_total'],
      ['the config sync timestamp (silences ConfigSyncStale)', { 'service.name': 'checkout' }, 'lgtm_config_sync_last_run_timestamp_seconds'],
      ['a Node Exporter series under any job', { 'service.name': 'checkout' }, 'node_filesystem_avail_bytes'],
      ['a counter whose suffix the exporter adds', { 'service.name': 'checkout' }, 'node_cpu_seconds'],
      ['a recorded SLO series', { 'service.name': 'checkout' }, 'slo:sli_error:ratio_rate5m'],
      ['an app-server node job through service.namespace', { 'service.namespace': 'app-nodes', 'service.name': 'x' }, 'anything'],
      ['the Prometheus self-monitoring job', { 'service.name': 'prometheus' }, 'anything'],
    ])('GIVEN a pushed %s THEN the host collector drops it', (_what, resource, name) => {
      expect(dropped(resource, name)).not.toEqual([]);
    });

    test.each([
      ['an app request counter', 'http_requests_total'],
      ['app-server host metrics from the agent', 'system_cpu_time'],
      ['an app histogram', 'http_server_request_duration_seconds'],
    ])("GIVEN %s under the service's own job THEN it passes", (_what, name) => {
      expect(dropped({ 'service.name': 'checkout', 'deployment.environment': 'production' }, name)).toEqual([]);
    });

    test('every pushed series loses any job/instance a sender set and carries lgtm_pushed="true"', () => {
      for (const name of ['staging', 'production'])
        expect(otel.service.pipelines[`metrics/${name}`].processors).toEqual([
          'memory_limiter',
          `resource/environment-${name}`,
          'filter/reserved-series',
          'attributes/strip-reserved',
          'resource/pushed',
          'batch',
        ]);
      expect(otel.processors['attributes/strip-reserved'].actions).toEqual([
        { key: 'job', action: 'delete' },
        { key: 'instance', action: 'delete' },
      ]);
      expect(otel.processors['resource/pushed'].attributes).toEqual(
        expect.arrayContaining([
          { key: 'job', action: 'delete' },
          { key: 'instance', action: 'delete' },
          { key: 'lgtm.pushed', value: 'true', action: 'upsert' },
        ]),
      );
      // resource_to_telemetry_conversion turns the resource attribute into the label lgtm_pushed.
      expect(otel.exporters.prometheusremotewrite.resource_to_telemetry_conversion.enabled).toBe(true);
    });
  });

  test('exposes its health check and own metrics on loopback', () => {
    expect(otel.service.extensions).toEqual(['health_check', 'bearertokenauth/staging', 'bearertokenauth/production']);
    expect(otel.extensions.health_check.endpoint).toBe(`127.0.0.1:${PORTS.otelcolHealth}`);
    expect(otel.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toEqual({ host: '127.0.0.1', port: PORTS.otelcolMetrics });
  });
});

describe('grafana.ini', () => {
  const ini = (c: PlatformConfig, url = 'http://203.0.113.10:3000') => renderGrafanaIni(c, { grafanaUrl: url });
  const value = (text: string, section: string, key: string) => {
    const body = text.split(/^\[/m).find((s) => s.startsWith(`${section}]`)) ?? '';
    return /^(\S+) = (.*)$/m.exec(body.split('\n').find((l) => l.startsWith(`${key} =`)) ?? '')?.[2];
  };

  test('serves under the Grafana URL on host.grafanaPort with state on the data volume', () => {
    const text = ini({ ...base, host: { ...base.host, grafanaPort: 3443 } }, 'https://grafana.example.com');
    expect(value(text, 'server', 'root_url')).toBe('https://grafana.example.com');
    expect(value(text, 'server', 'http_port')).toBe('3443');
    expect(value(text, 'paths', 'data')).toBe('/var/lib/lgtm/grafana');
    expect(value(text, 'security', 'cookie_secure')).toBe('true');
    expect(value(text, 'users', 'allow_sign_up')).toBe('false');
  });

  test('reads the admin password from its systemd credential, never a value', () => {
    // Always set: without a configured parameter the default /<name>/grafana-admin-password is read at boot.
    expect(value(ini(base), 'security', 'admin_password')).toBe('$__file{/run/credentials/grafana-server.service/grafana-admin-password}');
    const text = ini({ ...base, host: { ...base.host, grafanaAdminPasswordParameter: '/anvila/grafana-admin' } });
    expect(value(text, 'security', 'admin_password')).toBe('$__file{/run/credentials/grafana-server.service/grafana-admin-password}');
  });

  test('shares nothing without a sign-in: snapshots (local and external) and public dashboards are off', () => {
    expect(value(ini(base), 'snapshots', 'enabled')).toBe('false');
    expect(value(ini(base), 'snapshots', 'external_enabled')).toBe('false');
    expect(value(ini(base), 'public_dashboards', 'enabled')).toBe('false');
  });

  test('without grafanaTls it serves plain HTTP', () => {
    expect(value(ini(base), 'server', 'protocol')).toBe('http');
    expect(value(ini(base), 'server', 'cert_file')).toBeUndefined();
  });

  test('with grafanaTls it serves HTTPS from the certificate and key credentials, TLS 1.2 or later, secure cookies', () => {
    const tls = { certificateParameter: '/anvila/grafana-cert', privateKeyParameter: '/anvila/grafana-key', domain: 'grafana.anvila.example' };
    const text = ini({ ...base, host: { ...base.host, grafanaTls: tls } }, 'https://grafana.anvila.example:3000');
    expect(value(text, 'server', 'protocol')).toBe('https');
    expect(value(text, 'server', 'cert_file')).toBe('/run/credentials/grafana-server.service/grafana-tls-certificate');
    expect(value(text, 'server', 'cert_key')).toBe('/run/credentials/grafana-server.service/grafana-tls-key');
    expect(value(text, 'server', 'min_tls_version')).toBe('TLS1.2');
    expect(value(text, 'server', 'domain')).toBe('grafana.anvila.example');
    expect(value(text, 'security', 'cookie_secure')).toBe('true');
    expect(value(text, 'security', 'strict_transport_security')).toBe('true');
  });
});

test('renderHostFiles registers the runtime and telemetry files at their host paths', () => {
  const paths = renderHostFiles(compilePlatform(base), { grafanaUrl: 'http://203.0.113.10:3000' }).map((f) => f.path);
  expect(paths).toEqual(
    expect.arrayContaining([
      '/usr/local/sbin/lgtm-install',
      '/usr/local/sbin/lgtm-sync',
      '/usr/local/sbin/lgtm-secrets',
      '/etc/systemd/system/prometheus.service',
      '/etc/systemd/system/lgtm-sync.timer',
      '/etc/loki/loki.yml',
      '/etc/tempo/tempo.yml',
      '/etc/otelcol/config.yml',
      '/etc/grafana/grafana.ini',
    ]),
  );
});
