import type { PlatformConfig } from '../config/schema';
import { OTLP_TLS_DIR } from '../telemetry/otlp-sources';
import { CONFIG_SYNC_SCHEDULE } from '../contracts/config-sync';
import { everyInWords, systemdTimeSpan } from '../shared/durations';
import type { HostFile } from '../shared/host-file';
import { architectureOf } from './architecture';
import { ARTIFACTS, executablePath, type ArtifactName, type ArtifactSpec } from './artifacts';
import { DATA_MOUNT, PATHS, SECRETS_DIR } from '../shared/host-paths';
import { hostSecrets, RENEW_TLS_ARGUMENT, secretSourcePath } from './secrets';
import { syncWritablePaths } from './sync-paths';
import { hostServicesOf, nodeExporter } from './services';
import { MACHINERY_SERVICES } from './services/machinery';
import type { ReloadAction } from './services/types';

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

/** One long-running program on the host and the unit that runs it, as its descriptor (lib/host/services/) gives it for a config. */
export interface ServiceSpec extends HardenedUnitSpec {
  /** System user (and group) the program runs as; created by the install script with `uid`. */
  readonly user: string;
  /** Its fixed uid/gid (HostServiceDescriptor.uid). */
  readonly uid: number;
  /** The artifact whose upgrade restarts the service. */
  readonly artifact: ArtifactName;
  /** Writable directory on the data volume, if any. */
  readonly dataDir?: string;
  readonly reload: ReloadAction;
  /** Credentials from files the monitoring host makes itself (lgtm-secrets), not from SSM: root-only files it may read only this way. */
  readonly hostCredentials?: readonly { readonly name: string; readonly source: string }[];
}

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

/** The services of this config's host, in start order, from their descriptors (lib/host/services/). Pure; `table` lets tests pin other versions. */
export function serviceSpecs(config: PlatformConfig, table: readonly ArtifactSpec[] = ARTIFACTS): ServiceSpec[] {
  const arch = architectureOf(config.host.instanceType);
  const bin = (name: ArtifactName, exe: string) => executablePath(name, exe, arch, table);
  const specs: ServiceSpec[] = hostServicesOf(config).map(({ unit, description, user, uid, artifact, reload, unitSettings }) => ({
    unit,
    description,
    user,
    uid,
    artifact,
    reload,
    ...unitSettings({ config, bin }),
  }));
  const units = specs.map((spec) => spec.unit);
  return specs.map((spec) => (spec.unit === nodeExporter.unit ? { ...spec, exec: [...spec.exec, ...systemdCollectorFlags(units)] } : spec));
}

/** Quotes one argv element for ExecStart= when it needs it. */
function execArg(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** One `[Name]` section of a unit file. */
export function section(name: string, entries: [string, string][]): string {
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
 * machine without lgtm-secrets (an ingest node), from `secretSource(name)`, written before the unit starts; so do
 * its host credentials there (the node's certificate and key, which the host issued).
 */
export function renderServiceUnit(spec: ServiceSpec, config: PlatformConfig, secretSource?: (name: string) => string): string {
  const secrets = hostSecrets(config).filter((s) => s.unit === spec.unit);
  return renderHardenedUnit(spec, {
    header: '# Rendered by the LGTM platform; do not edit on the host (the config sync overwrites it).',
    after: ['network-online.target', ...(secrets.length && !secretSource ? ['lgtm-secrets.service'] : [])],
    requiresMountsFor: DATA_MOUNT,
    credentials: [
      ...secrets.map((secret) => ({ name: secret.name, source: (secretSource ?? secretSourcePath)(secret.name) })),
      ...(spec.hostCredentials ?? []).map((credential) => (secretSource ? { name: credential.name, source: secretSource(credential.name) } : credential)),
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
export function rootServiceSandbox(writable: readonly string[]): [string, string][] {
  return [
    ...BASE_SANDBOX,
    ['CapabilityBoundingSet', ''],
    ['AmbientCapabilities', ''],
    // "-": a directory that does not exist yet (e.g. no DORA exporter) is skipped instead of failing the unit.
    ...writable.map((path): [string, string] => ['ReadWritePaths', `-${path}`]),
    ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX'],
  ];
}

/** Units of the host's own machinery: boot-time secrets, the config sync with its timer, the OTLP certificate renewal with its timer. */
export function renderMachineryUnits(config: PlatformConfig): HostFile[] {
  const otlpTlsStateDirectory: [string, string][] = [
    ['UMask', '0077'],
    // The OTLP CA and server certificate live on the data volume, which outlives the instance.
    ['StateDirectory', OTLP_TLS_DIR.replace(/^\/var\/lib\//, '')],
    ['StateDirectoryMode', '0700'],
    // Writes only what systemd makes writable: the StateDirectory (and lgtm-secrets its RuntimeDirectory).
    ...rootServiceSandbox([]),
  ];
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
  ...otlpTlsStateDirectory,
])}
${section('Install', [['WantedBy', 'multi-user.target']])}`;
  // lgtm-secrets stays active after its boot run (RemainAfterExit), so a timer could not start it again: the renewal
  // runs the same script in a unit of its own, under the same sandbox and with the same state directory.
  const renewal = `# Rendered by the LGTM platform; do not edit on the host.
${section('Unit', [
  ['Description', 'Renew the OTLP server certificate when it is due or the host names changed, and restart the collector'],
  ['Wants', 'network-online.target'],
  ['After', `network-online.target ${MACHINERY_SERVICES.secrets}.service`],
  ['RequiresMountsFor', DATA_MOUNT],
])}
${section('Service', [['Type', 'oneshot'], ['ExecStart', `${PATHS.secretsScript} ${RENEW_TLS_ARGUMENT}`], ...otlpTlsStateDirectory])}`;
  const renewalTimer = `# Rendered by the LGTM platform; do not edit on the host.
${section('Unit', [['Description', 'Check the OTLP server certificate daily']])}
${section('Timer', [
  ['OnCalendar', 'daily'],
  ['RandomizedDelaySec', '1h'],
  // A host that was down at the scheduled time checks as soon as it is up again.
  ['Persistent', 'true'],
  ['Unit', `${MACHINERY_SERVICES.tlsRenewal}.service`],
])}
${section('Install', [['WantedBy', 'timers.target']])}`;
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
    { path: `${PATHS.systemdDir}/${MACHINERY_SERVICES.tlsRenewal}.service`, content: renewal },
    { path: `${PATHS.systemdDir}/${MACHINERY_SERVICES.tlsRenewal}.timer`, content: renewalTimer },
  ];
}

/** Every unit file: one per service plus the machinery. */
export function renderSystemdUnits(config: PlatformConfig, table: readonly ArtifactSpec[] = ARTIFACTS): HostFile[] {
  return [
    ...serviceSpecs(config, table).map((spec) => ({ path: `${PATHS.systemdDir}/${spec.unit}.service`, content: renderServiceUnit(spec, config) })),
    ...renderMachineryUnits(config),
  ];
}
