import type { PlatformConfig } from '../config/schema';
import { OTLP_TLS_CREDENTIALS, OTLP_TLS_DIR, OTLP_TLS_FILES } from '../telemetry/otlp-sources';
import { CONFIG_SYNC_SCHEDULE } from '../contracts/config-sync';
import { everyInWords, systemdTimeSpan } from '../shared/durations';
import type { HostFile } from '../shared/host-file';
import { architectureOf } from './architecture';
import { ARTIFACTS, executablePath, type ArtifactName, type ArtifactSpec } from './artifacts';
import { PORTS } from '../contracts/ports';
import { OPERATOR_REACHED, operatorUrl } from '../contracts/operator-reach';
import { DATA_MOUNT, PATHS, dataDir, SECRETS_DIR } from '../shared/host-paths';
import { hostSecrets, secretSourcePath } from './secrets';
import { prometheusRetentionFlags } from './prometheus-retention';
import { syncWritablePaths } from './sync-paths';
import { agentTargets } from '../agent/targets';

/**
 * How the config sync makes a service pick up a changed file: `http` POSTs to the program's reload endpoint,
 * `signal` has systemd send SIGHUP (`systemctl reload`; for programs whose reload endpoint would also let any
 * local process stop them), `restart` restarts the unit.
 */
export type ReloadAction = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'signal' } | { readonly kind: 'restart' };

/** One long-running program and the hardened unit that runs it (monitoring host or app server). */
export interface HardenedUnitSpec {
  /** Unit name without `.service`. */
  readonly unit: string;
  readonly description: string;
  /** System user (and group) the program runs as. */
  readonly user: string;
  /** argv; argv[0] absolute. */
  readonly exec: readonly string[];
  /** Writable directory, if any. */
  readonly dataDir?: string;
  /** How a changed config reaches it; `http` and `signal` add `ExecReload` (SIGHUP). @default restart */
  readonly reload?: ReloadAction;
  /** Further [Service] directives (name → values), added after the common hardening. */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
  /** Address families beyond AF_INET, AF_INET6, AF_UNIX. */
  readonly extraAddressFamilies?: readonly string[];
  /** V8's JIT needs writable+executable memory. @default false */
  readonly needsWxMemory?: boolean;
  /**
   * Reaches the EC2 instance metadata service, and with it the instance role's credentials: only programs
   * that call AWS APIs (EC2 discovery, S3, AMP) or ask for the instance's identity. @default false (denied)
   */
  readonly instanceMetadata?: boolean;
  /**
   * Reports on the whole host (Node Exporter): sees PID 1's mounts (`ProtectProc=default`), reads /home and
   * /root read-only instead of losing them, and may read the kernel clock's state (adjtimex, without
   * ProtectClock; setting the clock still needs CAP_SYS_TIME, which no unit keeps). @default false
   */
  readonly reportsOnHost?: boolean;
}

/** The instance metadata service's addresses (IPv4, and IPv6 on Nitro instances). */
export const IMDS_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254'] as const;

/** Where a hardened unit runs: what it waits for and what it is handed. */
export interface HardenedUnitContext {
  /** First line: who rendered it and who overwrites it. */
  readonly header: string;
  /** Units it wants and starts after. */
  readonly after: readonly string[];
  /** `RequiresMountsFor=`, when its data lives on a separate volume. */
  readonly requiresMountsFor?: string;
  /** systemd credentials: `LoadCredential=<name>:<source path>`. */
  readonly credentials?: readonly { readonly name: string; readonly source: string }[];
}

/** One long-running program on the host and the unit that runs it. */
export interface ServiceSpec extends HardenedUnitSpec {
  /** System user (and group) the program runs as; created by the install script with `uid`. */
  readonly user: string;
  /**
   * Fixed uid/gid, so that files on the data volume keep their owner when the instance is replaced and the
   * volume is attached to a new one.
   */
  readonly uid: number;
  /** The artifact whose upgrade restarts the service. */
  readonly artifact: ArtifactName;
  /** Writable directory on the data volume, if any. */
  readonly dataDir?: string;
  readonly reload: ReloadAction;
  /** Credentials from files the monitoring host makes itself (lgtm-secrets), not from SSM: root-only files it may read only this way. */
  readonly hostCredentials?: readonly { readonly name: string; readonly source: string }[];
}

const local = (port: number) => `127.0.0.1:${port}`;

/** The oneshot services of the host's own machinery (renderMachineryUnits). */
export const MACHINERY_SERVICES = { secrets: 'lgtm-secrets', sync: 'lgtm-sync' } as const;

/**
 * Node Exporter's systemd collector, limited to the platform's own services so that a failed or restarting
 * unit is seen (HostUnitFailed, HostUnitCrashLooping) without a series per unit of the distribution.
 * The collector asks systemd over the system D-Bus socket (an AF_UNIX socket under /run/dbus, readable with
 * ProtectSystem=strict), so the unit's sandbox needs no addition for it.
 */
export function systemdCollectorFlags(serviceUnits: readonly string[]): string[] {
  const names = [...serviceUnits, ...Object.values(MACHINERY_SERVICES)].map((unit) => unit.replace(/[.]/g, '\\.'));
  return ['--collector.systemd', `--collector.systemd.unit-include=(${names.join('|')})\\.service`, '--collector.systemd.enable-restarts-metrics'];
}

/** The services of this config's host, in start order. Pure; `table` lets tests pin other versions. */
export function serviceSpecs(config: PlatformConfig, table: readonly ArtifactSpec[] = ARTIFACTS): ServiceSpec[] {
  const arch = architectureOf(config.host.instanceType);
  // With scale: distributed, Loki and Tempo keep their data in S3 and Prometheus and Grafana use AMP (SigV4);
  // app-server agents are found by EC2 discovery. Everything else never needs the instance role.
  const distributed = config.scale === 'distributed';
  const discoversAppServers = agentTargets(config).length > 0;
  const bin = (name: ArtifactName, exe: string) => executablePath(name, exe, arch, table);
  const specs: ServiceSpec[] = [
    {
      unit: 'prometheus',
      description: 'Prometheus metrics store and rule evaluator',
      user: 'prometheus',
      uid: 820,
      artifact: 'prometheus',
      exec: [
        bin('prometheus', 'prometheus'),
        `--config.file=${PATHS.prometheusConfig}`,
        `--storage.tsdb.path=${dataDir('prometheus')}`,
        ...prometheusRetentionFlags(config),
        `--web.listen-address=${local(PORTS.prometheus)}`,
        // Alert source links point at the operator's end of an SSM port forward (lib/contracts/operator-reach.ts).
        `--web.external-url=${operatorUrl(OPERATOR_REACHED.prometheus)}`,
        // No --web.enable-lifecycle: it would let any local process POST /-/quit. The sync reloads by SIGHUP.
        '--web.enable-remote-write-receiver',
        '--enable-feature=exemplar-storage',
      ],
      dataDir: dataDir('prometheus'),
      reload: { kind: 'signal' },
      instanceMetadata: distributed || discoversAppServers,
    },
    {
      unit: 'alertmanager',
      description: 'Prometheus Alertmanager',
      user: 'alertmanager',
      uid: 821,
      artifact: 'alertmanager',
      exec: [
        bin('alertmanager', 'alertmanager'),
        `--config.file=${PATHS.alertmanagerConfig}`,
        `--storage.path=${dataDir('alertmanager')}`,
        `--web.listen-address=${local(PORTS.alertmanager)}`,
        // Silence links in notifications point at the operator's end of an SSM port forward.
        `--web.external-url=${operatorUrl(OPERATOR_REACHED.alertmanager)}`,
        // A single instance: no gossip port.
        '--cluster.listen-address=',
      ],
      dataDir: dataDir('alertmanager'),
      reload: { kind: 'http', url: `http://${local(PORTS.alertmanager)}/-/reload` },
    },
    {
      unit: 'node_exporter',
      description: 'Prometheus Node Exporter (host metrics)',
      user: 'node_exporter',
      uid: 822,
      artifact: 'node_exporter',
      exec: [bin('node_exporter', 'node_exporter'), `--web.listen-address=${local(PORTS.nodeExporter)}`, `--collector.textfile.directory=${PATHS.textfileDir}`],
      reload: { kind: 'restart' },
      extraAddressFamilies: ['AF_NETLINK'],
      reportsOnHost: true,
      extra: { IPAddressDeny: ['any'], IPAddressAllow: ['localhost'] },
    },
    {
      unit: 'blackbox_exporter',
      description: 'Prometheus Blackbox Exporter (probes)',
      user: 'blackbox_exporter',
      uid: 823,
      artifact: 'blackbox_exporter',
      exec: [bin('blackbox_exporter', 'blackbox_exporter'), `--config.file=${PATHS.blackboxConfig}`, `--web.listen-address=${local(PORTS.blackboxExporter)}`],
      reload: { kind: 'http', url: `http://${local(PORTS.blackboxExporter)}/-/reload` },
      // ICMP probes need raw sockets, and nothing else.
      extra: { AmbientCapabilities: ['CAP_NET_RAW'], CapabilityBoundingSet: ['CAP_NET_RAW'] },
    },
    {
      unit: 'loki',
      description: 'Grafana Loki (logs)',
      user: 'loki',
      uid: 824,
      artifact: 'loki',
      exec: [bin('loki', 'loki'), `-config.file=${PATHS.lokiConfig}`],
      dataDir: dataDir('loki'),
      reload: { kind: 'restart' },
      instanceMetadata: distributed,
    },
    {
      unit: 'tempo',
      description: 'Grafana Tempo (traces)',
      user: 'tempo',
      uid: 825,
      artifact: 'tempo',
      exec: [bin('tempo', 'tempo'), `-config.file=${PATHS.tempoConfig}`],
      dataDir: dataDir('tempo'),
      reload: { kind: 'restart' },
      instanceMetadata: distributed,
      // dskit lists the network interfaces (netlink) at start, even with every ring address set.
      extraAddressFamilies: ['AF_NETLINK'],
      // On one host Tempo talks to loopback only; with scale: distributed it reaches S3 and the ingest nodes reach it.
      ...(config.scale === 'distributed' ? {} : { extra: { IPAddressDeny: ['any'], IPAddressAllow: ['localhost'] } }),
    },
    {
      unit: 'otelcol',
      description: 'OpenTelemetry Collector (contrib): OTLP in; logs to Loki, traces to Tempo, metrics to Prometheus',
      user: 'otelcol',
      uid: 826,
      artifact: 'otelcol-contrib',
      exec: [bin('otelcol-contrib', 'otelcol-contrib'), `--config=${PATHS.otelcolConfig}`],
      reload: { kind: 'restart' },
      hostCredentials: [
        { name: OTLP_TLS_CREDENTIALS.certificate, source: OTLP_TLS_FILES.certificate },
        { name: OTLP_TLS_CREDENTIALS.key, source: OTLP_TLS_FILES.key },
      ],
    },
    {
      unit: 'grafana-server',
      description: 'Grafana',
      user: 'grafana',
      uid: 827,
      artifact: 'grafana',
      exec: [bin('grafana', 'grafana'), 'server', `--homepath=${GRAFANA_HOME}`, `--config=${PATHS.grafanaIni}`],
      dataDir: dataDir('grafana'),
      reload: { kind: 'restart' },
      instanceMetadata: distributed,
      extra: { ExecStartPre: [grafanaAdminPasswordReset(bin('grafana', 'grafana'))] },
    },
  ];
  if (config.dora)
    specs.push({
      unit: 'dora-exporter',
      description: 'DORA metrics exporter (GitHub Actions deployments to Prometheus)',
      user: 'dora-exporter',
      uid: 828,
      artifact: 'node',
      exec: [bin('node', 'node'), PATHS.doraExporterScript, '--config', PATHS.doraExporterConfig],
      dataDir: dataDir('dora-exporter'),
      reload: { kind: 'restart' },
      needsWxMemory: true,
      extra: { Environment: ['NODE_ENV=production'] },
    });
  const units = specs.map((spec) => spec.unit);
  return specs.map((spec) => (spec.unit === 'node_exporter' ? { ...spec, exec: [...spec.exec, ...systemdCollectorFlags(units)] } : spec));
}

const GRAFANA_HOME = '/opt/lgtm/grafana/current';

/**
 * Grafana applies `admin_password` only when it creates its database, so a rotated SSM parameter would lock
 * the Grafana stack (which logs in with the new value) out. Before every start, `grafana cli admin
 * reset-admin-password --password-from-stdin` (grafana/grafana pkg/cmd/grafana-cli/commands: adminCommands)
 * sets the admin password to the credential, read on stdin so it never shows in argv. `-`: on the first boot
 * there is no admin yet (Grafana creates it from admin_password right after), and that failure must not stop
 * the start. `$$` is systemd's escape for a literal `$`.
 */
function grafanaAdminPasswordReset(grafana: string): string {
  const cli = `exec "$$0" cli --homepath=${GRAFANA_HOME} --config=${PATHS.grafanaIni} admin reset-admin-password --password-from-stdin`;
  return `-/bin/sh -c '${cli} <"$$CREDENTIALS_DIRECTORY/grafana-admin-password"' ${grafana}`;
}

/** Quotes one argv element for ExecStart= when it needs it. */
function execArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function section(name: string, entries: [string, string][]): string {
  return `[${name}]\n${entries.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/**
 * The hardening every unit of the platform carries, services and the root machinery alike: read-only system, no
 * new privileges, no devices, kernel settings, namespaces or SUID files; system calls of ordinary services only.
 */
const BASE_SANDBOX: readonly [string, string][] = [
  ['NoNewPrivileges', 'yes'],
  ['ProtectSystem', 'strict'],
  ['ProtectHome', 'yes'],
  ['PrivateTmp', 'yes'],
  ['PrivateDevices', 'yes'],
  ['ProtectKernelTunables', 'yes'],
  ['ProtectKernelModules', 'yes'],
  ['ProtectKernelLogs', 'yes'],
  ['ProtectControlGroups', 'yes'],
  ['ProtectClock', 'yes'],
  ['ProtectHostname', 'yes'],
  ['ProtectProc', 'invisible'],
  ['RestrictSUIDSGID', 'yes'],
  ['RestrictRealtime', 'yes'],
  ['RestrictNamespaces', 'yes'],
  ['LockPersonality', 'yes'],
  ['SystemCallArchitectures', 'native'],
  ['SystemCallFilter', '@system-service'],
  ['SystemCallErrorNumber', 'EPERM'],
];

/** One base sandbox entry as a unit that `reportsOnHost` has it. */
function reportingOnHost([key, value]: readonly [string, string]): [string, string][] {
  switch (key) {
    case 'ProtectHome':
      return [[key, 'read-only']];
    case 'ProtectClock':
      return [];
    case 'ProtectProc':
      return [[key, 'default']];
    case 'SystemCallFilter':
      return [[key, `${value} adjtimex`]];
    default:
      return [[key, value]];
  }
}

/** The hardening every service unit carries. */
function sandbox(spec: HardenedUnitSpec): [string, string][] {
  const entries: [string, string][] = [
    ...(spec.reportsOnHost ? BASE_SANDBOX.flatMap(reportingOnHost) : BASE_SANDBOX),
    ['RemoveIPC', 'yes'],
    ['RestrictAddressFamilies', ['AF_INET', 'AF_INET6', 'AF_UNIX', ...(spec.extraAddressFamilies ?? [])].join(' ')],
    ['UMask', '0027'],
  ];
  if (!spec.needsWxMemory) entries.push(['MemoryDenyWriteExecute', 'yes']);
  if (!spec.extra?.CapabilityBoundingSet) entries.push(['CapabilityBoundingSet', ''], ['AmbientCapabilities', '']);
  if (spec.dataDir) entries.push(['ReadWritePaths', spec.dataDir]);
  if (!spec.instanceMetadata) for (const address of IMDS_ADDRESSES) entries.push(['IPAddressDeny', address]);
  return entries;
}

/**
 * The unit file of one service on the monitoring host. Its secrets come from lgtm-secrets' directory, or, on a
 * machine without lgtm-secrets (an ingest node), from `secretSource(name)`, written before the unit starts.
 */
export function renderServiceUnit(spec: ServiceSpec, config: PlatformConfig, secretSource?: (name: string) => string): string {
  const secrets = hostSecrets(config).filter((s) => s.unit === spec.unit);
  return renderHardenedUnit(spec, {
    header: '# Rendered by the LGTM platform; do not edit on the host (the config sync overwrites it).',
    after: ['network-online.target', ...(secrets.length && !secretSource ? ['lgtm-secrets.service'] : [])],
    requiresMountsFor: DATA_MOUNT,
    credentials: [
      ...secrets.map((secret) => ({ name: secret.name, source: (secretSource ?? secretSourcePath)(secret.name) })),
      ...(secretSource ? [] : (spec.hostCredentials ?? [])),
    ],
  });
}

/** A hardened unit file: restart with back-off, the common sandbox, then the spec's own directives. */
export function renderHardenedUnit(spec: HardenedUnitSpec, context: HardenedUnitContext): string {
  const unit = section('Unit', [
    ['Description', spec.description],
    ['Wants', context.after.join(' ')],
    ['After', context.after.join(' ')],
    ...(context.requiresMountsFor ? ([['RequiresMountsFor', context.requiresMountsFor]] as [string, string][]) : []),
    // Back-off: 5 s between attempts, at most 10 attempts in 10 minutes, then the unit stays failed (and
    // PlatformComponentDown fires) instead of flapping.
    ['StartLimitIntervalSec', '600'],
    ['StartLimitBurst', '10'],
  ]);
  const service: [string, string][] = [
    ['Type', 'simple'],
    ['User', spec.user],
    ['Group', spec.user],
    ['ExecStart', spec.exec.map(execArg).join(' ')],
  ];
  if (spec.reload && spec.reload.kind !== 'restart') service.push(['ExecReload', '/bin/kill -HUP $MAINPID']);
  service.push(['Restart', 'on-failure'], ['RestartSec', '5s'], ['TimeoutStopSec', '120s'], ['LimitNOFILE', '65536']);
  for (const credential of context.credentials ?? []) service.push(['LoadCredential', `${credential.name}:${credential.source}`]);
  service.push(...sandbox(spec));
  for (const [key, values] of Object.entries(spec.extra ?? {})) for (const value of values) service.push([key, value]);
  return `${context.header}\n${unit}\n${section('Service', service)}\n${section('Install', [['WantedBy', 'multi-user.target']])}`;
}

/**
 * The sandbox of the host's own root services (lgtm-secrets, lgtm-sync): the base sandbox, as root without
 * capabilities, so it may write only root-owned files and only under `writable`, and no raw sockets. They keep
 * the network: both talk to AWS APIs.
 */
function rootServiceSandbox(writable: readonly string[]): [string, string][] {
  return [
    ...BASE_SANDBOX,
    ['CapabilityBoundingSet', ''],
    ['AmbientCapabilities', ''],
    // "-": a directory that does not exist yet (e.g. no DORA exporter) is skipped instead of failing the unit.
    ...writable.map((path): [string, string] => ['ReadWritePaths', `-${path}`]),
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
  ];
}

/** Units of the host's own machinery: boot-time secrets, and the config sync with its timer. */
export function renderMachineryUnits(config: PlatformConfig): HostFile[] {
  const users = [...new Set(hostSecrets(config).map((s) => `${s.unit}.service`))];
  const secrets = `# Rendered by the LGTM platform; do not edit on the host.
${section('Unit', [
  ['Description', 'Fetch the LGTM platform secrets from SSM Parameter Store'],
  ['Wants', 'network-online.target'],
  ['After', 'network-online.target'],
  ['RequiresMountsFor', DATA_MOUNT],
  ...(users.length ? ([['Before', users.join(' ')]] as [string, string][]) : []),
])}
${section('Service', [
  ['Type', 'oneshot'],
  ['RemainAfterExit', 'yes'],
  ['ExecStart', PATHS.secretsScript],
  ['RuntimeDirectory', SECRETS_DIR.replace(/^\/run\//, '')],
  ['RuntimeDirectoryMode', '0700'],
  ['RuntimeDirectoryPreserve', 'yes'],
  ['Restart', 'on-failure'],
  ['RestartSec', '30s'],
  ['UMask', '0077'],
  // The OTLP CA and server certificate live on the data volume, which outlives the instance.
  ['StateDirectory', OTLP_TLS_DIR.replace(/^\/var\/lib\//, '')],
  ['StateDirectoryMode', '0700'],
  // It writes only its RuntimeDirectory and StateDirectory, which systemd makes writable.
  ...rootServiceSandbox([]),
])}
${section('Install', [['WantedBy', 'multi-user.target']])}`;
  const sync = `# Rendered by the LGTM platform; do not edit on the host.
${section('Unit', [
  ['Description', 'Pull, validate and apply the LGTM platform configuration from the config bucket'],
  ['Wants', 'network-online.target'],
  ['After', 'network-online.target'],
  ['RequiresMountsFor', DATA_MOUNT],
])}
${section('Service', [
  ['Type', 'oneshot'],
  ['ExecStart', PATHS.syncScript],
  ['Nice', '10'],
  ['TimeoutStartSec', systemdTimeSpan(CONFIG_SYNC_SCHEDULE.runTimeoutSeconds)],
  ...rootServiceSandbox(syncWritablePaths()),
])}`;
  const schedule = config.host.configSync;
  const timer = `# Rendered by the LGTM platform; do not edit on the host.
${section('Unit', [['Description', `Run the LGTM config sync ${everyInWords(schedule.intervalSeconds)}`]])}
${section('Timer', [
  ['OnBootSec', systemdTimeSpan(schedule.firstRunAfterSeconds)],
  ['OnUnitInactiveSec', systemdTimeSpan(schedule.intervalSeconds)],
  ['RandomizedDelaySec', `${CONFIG_SYNC_SCHEDULE.randomizedDelaySeconds}s`],
  ['Unit', 'lgtm-sync.service'],
])}
${section('Install', [['WantedBy', 'timers.target']])}`;
  return [
    { path: `${PATHS.systemdDir}/${MACHINERY_SERVICES.secrets}.service`, content: secrets },
    { path: `${PATHS.systemdDir}/${MACHINERY_SERVICES.sync}.service`, content: sync },
    { path: `${PATHS.systemdDir}/lgtm-sync.timer`, content: timer },
  ];
}

/** Every unit file: one per service plus the machinery. */
export function renderSystemdUnits(config: PlatformConfig, table: readonly ArtifactSpec[] = ARTIFACTS): HostFile[] {
  return [
    ...serviceSpecs(config, table).map((spec) => ({ path: `${PATHS.systemdDir}/${spec.unit}.service`, content: renderServiceUnit(spec, config) })),
    ...renderMachineryUnits(config),
  ];
}
