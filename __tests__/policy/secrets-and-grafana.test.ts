import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { DataSource } from '../../lib/generated/providers/grafana/data-source';
import { GrafanaProvider } from '../../lib/generated/providers/grafana/provider';
import { TerraformOutput, type TerraformStack } from '../../lib/framework';
import { renderGrafanaIni } from '../../lib/host/grafana-ini';
import { escapeTerraformTemplate } from '../../lib/terraform-text';
import { platformConfig } from '../helpers/platform-fixtures';
import { SECRET_FIX, describeRuleCases, type RuleCase } from './support';

/** grafana.ini as the host receives it (an object in the config bucket), rendered by the library, then edited. */
const grafanaIni =
  (edit: (ini: string) => string = (ini) => ini, grafanaUrl = 'http://203.0.113.10:3000') =>
  (stack: TerraformStack) =>
    new S3Object(stack, 'grafana-ini', {
      bucket: 'b',
      key: 'host/etc/grafana/grafana.ini',
      content: escapeTerraformTemplate(edit(renderGrafanaIni(platformConfig(), { grafanaUrl }))),
    });

const dataSource = (extra: Record<string, unknown>) => (stack: TerraformStack) => {
  new GrafanaProvider(stack, 'grafana', { url: 'http://127.0.0.1:3000' });
  new DataSource(stack, 'loki', { name: 'Loki', type: 'loki', uid: 'lgtm-loki', url: 'http://127.0.0.1:3100', accessMode: 'proxy', ...extra });
};

const CASES: RuleCase[] = [
  {
    rule: 'LGTM-SECRETS-NO-LITERALS',
    what: 'a Slack webhook in user-data and a GitHub token in an output',
    bad: (stack) => {
      new Instance(stack, 'host', {
        ami: 'ami-1',
        instanceType: 't3.large',
        userData: 'SLACK=https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnop\n',
      });
      new TerraformOutput(stack, 'token', { value: `ghp_${'a1B2'.repeat(9)}` });
    },
    lines: [
      '[LGTM-SECRETS-NO-LITERALS] test/host (aws_instance): found a Slack webhook URL (https:…op) in user_data; fix: ' + SECRET_FIX,
      '[LGTM-SECRETS-NO-LITERALS] test/output.token (output): found a GitHub token (ghp_a1…B2) in value; fix: ' + SECRET_FIX,
    ],
    good: (stack) => new Instance(stack, 'host', { ami: 'ami-1', instanceType: 't3.large', userData: 'SLACK_PARAMETER=/anvila/slack-webhook\n' }),
  },
  {
    rule: 'LGTM-GRAFANA-ADMIN-PASSWORD',
    what: 'a literal admin password in grafana.ini and in the provider',
    bad: (stack) => {
      grafanaIni((ini) => ini.replace(/^admin_password = .*$/m, 'admin_password = correct-horse'))(stack);
      new GrafanaProvider(stack, 'grafana', { url: 'http://203.0.113.10:3000', auth: 'admin:correct-horse' });
    },
    lines: [
      '[LGTM-GRAFANA-ADMIN-PASSWORD] test/grafana-ini (aws_s3_object): found grafana.ini [security] admin_password is a literal; fix: read it from host.grafanaAdminPasswordParameter: admin_password = $__file{/run/credentials/grafana-server.service/grafana-admin-password}',
      '[LGTM-GRAFANA-ADMIN-PASSWORD] test/provider.grafana[0] (grafana): found provider auth "admin:…" is a literal; fix: read it from SSM as an ephemeral resource (GrafanaStack does, from grafana.authParameter or host.grafanaAdminPasswordParameter)',
    ],
    good: grafanaIni(),
  },
  {
    rule: 'LGTM-GRAFANA-NO-ANONYMOUS',
    what: 'anonymous access on',
    bad: grafanaIni((ini) => ini.replace('[auth.anonymous]\nenabled = false', '[auth.anonymous]\nenabled = true')),
    lines: [
      '[LGTM-GRAFANA-NO-ANONYMOUS] test/grafana-ini (aws_s3_object): found grafana.ini [auth.anonymous] enabled = true; fix: set [auth.anonymous] enabled = false (renderGrafanaIni does)',
    ],
    good: grafanaIni(),
  },
  {
    rule: 'LGTM-GRAFANA-NO-SIGN-UP',
    what: 'open sign-up',
    bad: grafanaIni((ini) => ini.replace('allow_sign_up = false', 'allow_sign_up = true')),
    lines: [
      '[LGTM-GRAFANA-NO-SIGN-UP] test/grafana-ini (aws_s3_object): found grafana.ini [users] allow_sign_up = true; fix: set [users] allow_sign_up = false (renderGrafanaIni does)',
    ],
    good: grafanaIni(),
  },
  {
    rule: 'LGTM-GRAFANA-SECURE-COOKIES',
    what: 'https without Secure cookies, and SameSite none',
    bad: grafanaIni(
      (ini) => ini.replace('cookie_secure = true', 'cookie_secure = false').replace('cookie_samesite = lax', 'cookie_samesite = none'),
      'https://grafana.anvila.example',
    ),
    lines: [
      '[LGTM-GRAFANA-SECURE-COOKIES] test/grafana-ini (aws_s3_object): found grafana.ini [security] cookie_secure is not true although Grafana is served over https; fix: set [security] cookie_secure = true (renderGrafanaIni does for https)',
      '[LGTM-GRAFANA-SECURE-COOKIES] test/grafana-ini (aws_s3_object): found grafana.ini [security] cookie_samesite = none; fix: set [security] cookie_samesite = lax or strict',
    ],
    good: grafanaIni(undefined, 'https://grafana.anvila.example'),
  },
  {
    rule: 'LGTM-GRAFANA-ROOT-URL',
    what: 'a placeholder root URL',
    bad: grafanaIni(undefined, 'http://localhost:3000'),
    lines: [
      '[LGTM-GRAFANA-ROOT-URL] test/grafana-ini (aws_s3_object): found grafana.ini [server] root_url "http://localhost:3000"; fix: set alerting.grafanaBaseUrl to the URL users open, or leave it unset to use the Elastic IP\'s address',
    ],
    // A Terraform reference (the Elastic IP's address) resolves at apply time.
    good: grafanaIni(undefined, 'http://${aws_eip.address.public_ip}:3000'),
  },
  {
    rule: 'LGTM-GRAFANA-DATASOURCE-CREDENTIALS',
    what: 'a data source called from the browser with a password in its URL and headers',
    bad: dataSource({ accessMode: 'direct', url: 'http://loki:hunter2@127.0.0.1:3100', httpHeaders: { Authorization: 'Bearer abc' } }),
    lines: [
      '[LGTM-GRAFANA-DATASOURCE-CREDENTIALS] test/loki (grafana_data_source): found access_mode "direct" (the browser calls the data source itself); fix: use access_mode "proxy" (GrafanaStack does)',
      '[LGTM-GRAFANA-DATASOURCE-CREDENTIALS] test/loki (grafana_data_source): found url with credentials ("http://…@127.0.0.1:3100"); fix: remove user:password@ from the URL; put credentials in secure_json_data_encoded from SSM',
      '[LGTM-GRAFANA-DATASOURCE-CREDENTIALS] test/loki (grafana_data_source): found http_headers holds a literal; fix: read the value from SSM (an ephemeral aws_ssm_parameter), never from config or code',
    ],
    good: dataSource({}),
  },
];

describeRuleCases(CASES);
