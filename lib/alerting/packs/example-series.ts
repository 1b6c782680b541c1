import { series, type AlertRuleTest, type InputSeries } from '../../promql/promtool-test-file';

/**
 * The vocabulary of the packs' promtool cases (`promtoolCases`): series as the example description
 * (config/platform.yaml) produces them, and the two kinds of expectation. The promtool test
 * (__tests__/prometheus/alert-rules.test.ts) renders that description's rules and runs every pack's cases on them.
 */

/** The monitoring host's `instance` in the example description (`<name>-monitoring`). */
export const EXAMPLE_HOST = 'anvila-monitoring';
export const node = { job: 'node', instance: EXAMPLE_HOST };
export const disk = { ...node, device: '/dev/nvme1n1', mountpoint: '/var/lib/lgtm', fstype: 'ext4' };
export const probe = { job: 'blackbox-http', instance: 'https://api.anvila.example/health', service: 'anvila-api', environment: 'production' };
export const app = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging', route: '/items', method: 'GET' };
export const appTarget = { job: 'app', instance: '10.0.1.10:8000', service: 'anvila-api', environment: 'staging' };
export const dora = { job: 'dora-exporter', instance: EXAMPLE_HOST, repo: 'acme/anvila-api', workflow: 'deploy.yml', environment: 'production' };
export const nic = { ...node, device: 'ens5' };
export const blockDevice = { ...node, device: 'nvme1n1' };
export const prometheusUnit = { ...node, name: 'prometheus.service', type: 'simple' };
export const syncUnit = { ...node, name: 'lgtm-sync.service', type: 'oneshot' };
export const lokiUnit = { ...node, name: 'loki.service' };

/** At `at`, the alert fires with exactly these label sets (one per firing instance). */
export const fires = (alertname: string, at: string, ...labels: Record<string, string>[]): AlertRuleTest => ({
  eval_time: at,
  alertname,
  exp_alerts: labels.map((l) => ({ exp_labels: l })),
});
/** At `at`, the alert does not fire (inactive or still pending). */
export const quiet = (alertname: string, at: string): AlertRuleTest => ({ eval_time: at, alertname, exp_alerts: [] });
export const input = (name: string, labels: Record<string, string>, valuesText: string): InputSeries => ({ series: series(name, labels), values: valuesText });

/** The data filesystem of a 100 GB disk: size, free bytes and read-only flag, as node exporter reports them. */
export const diskSeries = (avail: string, readonly = '0x300'): InputSeries[] => [
  input('node_filesystem_size_bytes', disk, '100000000000x300'),
  input('node_filesystem_avail_bytes', disk, avail),
  input('node_filesystem_readonly', disk, readonly),
];
/** The same filesystem's inodes: a million in all, `free` of them free. */
export const inodeSeries = (free: string, readonly = '0x300'): InputSeries[] => [
  input('node_filesystem_files', disk, '1000000x300'),
  input('node_filesystem_files_free', disk, free),
  input('node_filesystem_readonly', disk, readonly),
];
/** Two cores of the host (the count is what matters; each idle 30 s a minute). */
export const twoCores = ['0', '1'].map((cpu) => input('node_cpu_seconds_total', { ...node, cpu, mode: 'idle' }, '0+30x30'));
