import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { loadPlatformConfig, parsePlatformConfig, validatePlatformConfig } from '../../lib/config/loader';
import { durationSeconds } from '../../lib/config/schema';
import { BAD_CONFIGS } from './bad-configs';
import { configErrorOf } from '../helpers/config-errors';

const FILE = 'config/platform.yaml';
const defaultText = readFileSync(join(__dirname, '../../config/platform.yaml'), 'utf8');

describe('GIVEN the embedded default config', () => {
  it('THEN it validates and every default is filled from the schema', () => {
    const config = loadPlatformConfig(join(__dirname, '../../config/platform.yaml'));
    expect(config.name).toBe('anvila');
    expect(config.host.rootVolumeGiB).toBe(20);
    expect(config.host.retention).toEqual({ metrics: '30d', logs: '14d', traces: '7d' });
    expect(config.services[0].slos.map((slo) => slo.window)).toEqual(['30d', '30d', '30d']);
    expect(config.alerting.thresholds).toMatchObject({
      cpuPercent: 80,
      cpuCriticalPercent: 90,
      memoryPercent: 80,
      memoryCriticalPercent: 90,
      diskPercent: 80,
      diskCriticalPercent: 90,
    });
    expect(config.dora?.apiUrl).toBe('https://api.github.com');
  });
});

describe('GIVEN a config that reuses values through a few YAML anchors', () => {
  it('THEN it validates: only alias bombs and cycles are refused', () => {
    const anchored = defaultText
      .replace('  grafanaAllowedCidrs: ["203.0.113.0/24"]', '  grafanaAllowedCidrs: &lan ["10.0.0.0/16"]')
      .replace('  telemetrySourceCidrs: ["10.0.0.0/16"]', '  telemetrySourceCidrs: *lan');
    const config = parsePlatformConfig(anchored, FILE);
    expect(config.host.telemetrySourceCidrs).toEqual(['10.0.0.0/16']);
  });
});

describe('GIVEN a bad config', () => {
  it('the table covers at least 50 distinct mistakes, hostile input included', () => {
    expect(new Set(BAD_CONFIGS.map((bad) => bad.what + bad.path)).size).toBeGreaterThanOrEqual(50);
  });

  it.each(BAD_CONFIGS.map((bad) => [bad.what, bad] as const))('WHEN %s THEN it names the path and the fix', (_what, bad) => {
    const error = configErrorOf(() => {
      if (bad.yaml !== undefined) return parsePlatformConfig(bad.yaml, FILE);
      const raw = yaml.load(defaultText);
      bad.edit!(raw);
      return validatePlatformConfig(raw, FILE);
    });
    expect(error.path).toBe(bad.path);
    expect(error.message).toBe(`${FILE}: ${bad.message}`);
  });

  it('WHEN several unrelated things are wrong THEN one error lists every one, each with its path, what was found and what is allowed', () => {
    const raw: any = yaml.load(defaultText);
    raw.host.grafanaPort = 9090;
    raw.host.telemetrySourceCidrs = ['52.94.0.0/16'];
    raw.host.artifactMirror = { s3Bucket: 'anvila-mirror', prefix: '${file("/etc/hostname")}' };
    const error = configErrorOf(() => validatePlatformConfig(raw, FILE));
    expect(error.path).toBe('host.artifactMirror.prefix');
    expect(error.others.map((e) => e.path)).toEqual(['host.telemetrySourceCidrs[0]', 'host.grafanaPort']);
    expect(error.message.split('\n')).toEqual([error, ...error.others].map((e) => `${FILE}: ${e.path}: found ${e.found}; ${e.allowed}`));
    expect(error.message).toContain('found number 9090; port 9090 is taken by prometheus on the monitoring host');
  });

  it('WHEN the file is larger than 1 MiB THEN it is refused unread, naming the size and the cap', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'huge-')), 'platform.yaml');
    writeFileSync(file, `${defaultText}\n#${'x'.repeat(2 * 1024 * 1024)}\n`);
    const bytes = Buffer.byteLength(readFileSync(file));
    expect(configErrorOf(() => loadPlatformConfig(file)).message).toBe(
      `${file}: (root): found a file of ${bytes} bytes; expected at most 1048576 bytes (1 MiB): a platform description is small, and a larger file is refused unread`,
    );
  });

  it('WHEN the file does not exist THEN the error names it', () => {
    const error = configErrorOf(() => loadPlatformConfig('nope/platform.yaml'));
    expect(error.message).toBe(
      'nope/platform.yaml: (root): found no readable file (ENOENT); give the path of a platform YAML file, e.g. PLATFORM_CONFIG=config/platform.yaml',
    );
  });
});

describe('durationSeconds', () => {
  it.each([
    ['30d', 2592000],
    ['4w', 2419200],
    ['12h', 43200],
    ['5m', 300],
  ])('%s is %i seconds', (duration, seconds) => expect(durationSeconds(duration)).toBe(seconds));
});

describe('GIVEN the sync schedule and per-alert overrides of the platform description', () => {
  const withKnobs = (host: object, alerting: object) => {
    const raw = yaml.load(defaultText) as { host: object; alerting: object };
    return { ...raw, host: { ...raw.host, ...host }, alerting: { ...raw.alerting, ...alerting } };
  };

  it('THEN the defaults are the production schedule (first run 2 minutes after boot, then every minute) and no override', () => {
    const config = parsePlatformConfig(defaultText, FILE);
    expect(config.host.configSync).toEqual({ firstRunAfterSeconds: 120, intervalSeconds: 60 });
    expect(config.alerting.alertOverrides).toEqual({});
  });

  it('THEN values within range validate', () => {
    const config = validatePlatformConfig(
      withKnobs(
        { configSync: { firstRunAfterSeconds: 10, intervalSeconds: 300 } },
        { alertOverrides: { ConfigSyncRefused: { for: '30s' }, ProbeFailing: { for: '0s' } } },
      ),
      FILE,
    );
    expect(config.host.configSync).toEqual({ firstRunAfterSeconds: 10, intervalSeconds: 300 });
    expect(config.alerting.alertOverrides).toEqual({ ConfigSyncRefused: { for: '30s' }, ProbeFailing: { for: '0s' } });
  });

  it('THEN every mistake is reported at once, with its path, what was found and what is allowed', () => {
    const error = configErrorOf(() =>
      validatePlatformConfig(
        withKnobs(
          { configSync: { firstRunAfterSeconds: 5, intervalSeconds: 301, jitter: 1 } },
          { alertOverrides: { ProbeFailng: { for: '1m' }, ConfigSyncRefused: { for: '5 minutes' }, HostDown: { for: '1m', severity: 'warning' } } },
        ),
        FILE,
      ),
    );
    expect(error.message).toContain(`${FILE}: host.configSync.jitter: found unknown key "jitter"; allowed keys here: firstRunAfterSeconds, intervalSeconds`);
    expect(error.message).toContain(`${FILE}: host.configSync.firstRunAfterSeconds: found number 5; expected a whole number of seconds between 10 and 900`);
    expect(error.message).toContain(`${FILE}: host.configSync.intervalSeconds: found number 301; expected a whole number of seconds between 10 and 300`);
    expect(error.message).toMatch(
      new RegExp(
        `${FILE}: alerting\\.alertOverrides\\.ProbeFailng: found key "ProbeFailng"; expected the name of one of the platform's alerts \\(docs/alerts\\.md\\): HostDown, .*ProbeFailing, .*ConfigSyncStale`,
      ),
    );
    expect(error.message).toContain(
      `${FILE}: alerting.alertOverrides.ConfigSyncRefused.for: found "5 minutes"; expected a duration such as 5m, 30s, 1h or 0s: a whole number and one unit of s, m, h, d`,
    );
    expect(error.message).toContain(`${FILE}: alerting.alertOverrides.HostDown.severity: found unknown key "severity"; allowed keys here: for`);
  });
});
