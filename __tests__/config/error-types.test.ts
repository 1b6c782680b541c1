import { checkAlertMetrics } from '../../lib/checks/alert-metrics';
import { PlatformConfigError, PlatformInternalError } from '../../lib/config/errors';
import { TerraformStack, Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { platformConfig } from '../helpers/platform-fixtures';

const CUSTOM_ALERT = {
  expr: 'service:checkout_queue_depth:max > 100',
  for: '10m',
  severity: 'warning',
  summary: 'checkout queue is backing up',
  runbookUrl: 'https://wiki.example/runbooks/checkout-queue',
};

/** What `run` throws, failing the test when it throws nothing. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

describe('GIVEN a description the schema accepts but with four independent mistakes across areas', () => {
  const config = platformConfig((raw) => {
    raw.rules = {
      alerts: [
        { ...CUSTOM_ALERT, name: 'HostDown' },
        { ...CUSTOM_ALERT, name: 'BudgetTypo', expr: 'slo:error_budget:ratoi < 0.1' },
      ],
    };
    raw.host.artifactChecksums = { 'prometheus-amd64': 'd'.repeat(64) };
    raw.alerting.receivers = [{ name: 'slack-critical', email: 'oncall@example.com' }];
    raw.alerting.smtp = { smarthost: 'smtp.example.com:587', from: 'alerts@example.com' };
  });

  it('WHEN the platform is built THEN one PlatformConfigError reports all four, each naming file, path, found and allowed, and no stack exists', () => {
    const app = Testing.app();
    const error = thrownBy(() => new ObservabilityPlatform(app, 'platform', { config, configFile: 'platform.yaml' }));
    expect(error).toBeInstanceOf(PlatformConfigError);
    const lines = (error as Error).message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^platform\.yaml: rules\.alerts\[0\]\.name: found "HostDown"; expected an alert name not used by the platform/),
        expect.stringMatching(
          /^platform\.yaml: rules\.alerts\[1\]\.expr: found metric "slo:error_budget:ratoi", which nothing on the platform produces; expected /,
        ),
        expect.stringMatching(
          /^platform\.yaml: host\.artifactChecksums\.prometheus-amd64: found "prometheus-amd64"; expected a key <artifact>-<arch>, one of: /,
        ),
        expect.stringMatching(/^platform\.yaml: alerting\.receivers\[0\]\.name: found "slack-critical"; choose another receiver name/),
      ]),
    );
    expect(lines).toHaveLength(4);
    expect(app.node.findAll().filter((construct) => TerraformStack.isStack(construct))).toEqual([]);
  });
});

describe('GIVEN the library contradicting itself (a shipped alert that reads a metric nothing produces)', () => {
  const broken = [{ name: 'HostDown', group: 'host', reads: ['node_made_up_metric_total', 'up'] }] as never;

  it("THEN it is a PlatformInternalError asking for a bug report, never a PlatformConfigError blaming the user's file", () => {
    const error = thrownBy(() => checkAlertMetrics(broken));
    expect(error).toBeInstanceOf(PlatformInternalError);
    expect(error).not.toBeInstanceOf(PlatformConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^lgtm-platform internal error in lib\/alerting\/packs: HostDown \(lib\/alerting\/packs\/host\.ts\) reads metric "node_made_up_metric_total", which nothing on the platform produces/,
    );
    expect(message).toContain('This is a bug in lgtm-platform, not in your platform description: please report it');
    expect(message).not.toMatch(/Invalid platform config|found .*; expected/);
  });
});
