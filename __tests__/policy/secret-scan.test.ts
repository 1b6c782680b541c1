import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from '../../lib/framework';
import { renderHostFiles } from '../../lib/render-host-files';
import { renderBootstrapUserData } from '../../lib/host/bootstrap-user-data';
import { ObservabilityPlatform } from '../../lib/platform';
import { PolicyViolationError } from '../../lib/policy/engine';
import { findSecrets } from '../../lib/policy/secret-patterns';
import { DEFAULT_CONFIG_FILE, platformConfig } from '../helpers/platform-fixtures';
import { policyMessage } from './support';
import { compilePlatform } from '../../lib/model/compile';

/** Every file `cdktf synth` writes for a config (both stacks, manifest, metadata). */
function synthesizedFiles(edit?: (raw: any) => void): { file: string; text: string }[] {
  const app = Testing.app();
  new ObservabilityPlatform(app, 'platform', { config: platformConfig(edit) });
  app.synth();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
  return walk(app.outdir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** One sample of each kind of secret the scanner knows, assembled here so this file holds none verbatim. */
const PLANTED: Record<string, string> = {
  'a Slack webhook URL': ['https://hooks.slack.com/services', 'T01ABCDEF', 'B02GHIJKL', 'x9Y8z7W6v5U4t3S2r1Q0p9O8'].join('/'),
  'a Slack token': ['xoxb', '1234567890', '0987654321', 'AbCdEfGhIjKlMnOpQrStUv'].join('-'),
  'a GitHub token': `ghp_${'Ab1Cd2Ef3Gh4'.repeat(3)}`,
  'an AWS access key id': `AKIA${'Q2W3E4R5T6Y7U8I9'}`,
  'an AWS secret access key': `aws_secret_access_key = ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}${'EXAMPLEKEY'}`,
  'a private key': ['-----BEGIN', 'OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'].join(' '),
  'a literal value for "admin_password"': 'admin_password = Tr0ub4dor&3',
};

describe('GIVEN the default config', () => {
  const config = platformConfig();
  const hostFiles = renderHostFiles(compilePlatform(config), { grafanaUrl: 'http://203.0.113.10:3000' });

  it('THEN no byte of the config, the synthesized stacks, the user-data or any rendered host file looks like a secret', () => {
    const texts = [
      { file: DEFAULT_CONFIG_FILE, text: readFileSync(DEFAULT_CONFIG_FILE, 'utf8') },
      ...synthesizedFiles(),
      {
        file: 'user-data',
        text: renderBootstrapUserData({
          bucket: 'anvila-config-x',
          prefix: 'host',
          region: config.region,
          dataVolumeId: 'vol-0123',
          manifestParameter: '/lgtm/anvila/config-manifest-sha256',
        }),
      },
      ...hostFiles.map((f) => ({ file: f.path, text: f.content })),
    ];
    expect(texts.map((t) => t.file)).toEqual(
      expect.arrayContaining([expect.stringMatching(/anvila-infra\/cdk\.tf\.json$/), expect.stringMatching(/anvila-grafana\/cdk\.tf\.json$/)]),
    );
    expect(hostFiles.length).toBeGreaterThan(25);
    const found = texts.flatMap((t) => findSecrets(t.text).map((hit) => `${t.file}: ${hit.kind} ${hit.masked}`));
    expect(found).toEqual([]);
  });

  it.each(Object.entries(PLANTED))('WHEN %s is planted in a rendered host file THEN the scanner finds it', (kind, secret) => {
    const grafanaIni = hostFiles.find((f) => f.path === '/etc/grafana/grafana.ini')!;
    const planted = `${grafanaIni.content}\n; left behind by someone\n${secret}\n`;
    expect(findSecrets(grafanaIni.content)).toEqual([]);
    expect(findSecrets(planted).map((hit) => hit.kind)).toEqual([kind]);
  });

  it.each(Object.entries(PLANTED))('WHEN %s is planted in the config text THEN the scanner finds it', (kind, secret) => {
    const text = readFileSync(DEFAULT_CONFIG_FILE, 'utf8').replace('team: platform', `team: platform # ${secret.replace(/\n/g, ' ')}`);
    expect(findSecrets(text).map((hit) => hit.kind)).toEqual([kind]);
  });

  it('WHEN a secret reaches the synthesized JSON through the config (a tag value) THEN synth fails on it, masked', () => {
    const app = Testing.app();
    new ObservabilityPlatform(app, 'platform', { config: platformConfig((raw) => (raw.tags = { note: PLANTED['a Slack webhook URL'] })) });
    let error: unknown;
    try {
      app.synth();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect((error as Error).message).toBe(
      policyMessage([
        '[LGTM-SECRETS-NO-LITERALS] anvila-infra/provider.aws[0] (aws): found a Slack webhook URL (https:…O8) in default_tags[0].tags.note; fix: store the value as an SSM SecureString and name the parameter in config (e.g. alerting.slack.webhookUrlParameter); rotate the exposed secret',
      ]),
    );
    expect((error as Error).message).not.toContain('x9Y8z7W6');
  });
});
