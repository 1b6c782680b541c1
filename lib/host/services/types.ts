import type { AlertName } from '../../alerting/packs';
import type { PlatformConfig } from '../../config/schema';
import type { ArtifactName } from '../artifacts';
import type { ServiceSpec } from '../systemd-units';

/**
 * How the config sync makes a service pick up a changed file: `http` POSTs to the program's reload endpoint,
 * `signal` has systemd send SIGHUP (`systemctl reload`; for programs whose reload endpoint would also let any
 * local process stop them), `restart` restarts the unit.
 */
export type ReloadAction = { readonly kind: 'http'; readonly url: string } | { readonly kind: 'signal' } | { readonly kind: 'restart' };

/** An executable of a pinned artifact that a checker runs, bound to a variable of the sync script. */
export interface CheckerTool {
  /** The sync script's variable, e.g. `PROMTOOL` (the checker's bash says `"$PROMTOOL"`). */
  readonly variable: string;
  readonly artifact: ArtifactName;
  readonly executable: string;
}

/** The command the sync runs on a group's candidate files (under `$NEW`) before any of them goes live. */
export interface FileChecker {
  readonly kind: 'command';
  /** Pinned executables it runs; system tools (`bash`, `$SYSTEMD_ANALYZE`) come from the script's preamble. */
  readonly tools?: readonly CheckerTool[];
  /**
   * The files the command reads, as bash patterns of absolute host paths (`*` within a directory): a file of the
   * group that no pattern matches is never validated, which the render refuses (checkHostFileOwners).
   */
  readonly covers: readonly string[];
  /** The body of the group's arm in the sync's `validate` (bash lines, returning 1 when the files are refused). */
  readonly bash: readonly string[];
  /** bash functions the command calls, rendered before `validate`. */
  readonly functions?: string;
}

/** A group whose files no program can check before they go live, and why that is acceptable. */
export interface NoChecker {
  readonly kind: 'none';
  /** Why no checker is needed: what happens to a broken file instead. */
  readonly reason: string;
}

/** The host files of one sync group: where they live and how the sync validates them. */
export interface OwnedFiles {
  /** Absolute directories whose files the group owns (every file below them, and no other group's). */
  readonly dirs: readonly string[];
  /**
   * Directories mirrored exactly: a file removed from the bucket is removed on the host, and on a first boot
   * their files that fail the checker are withheld rather than keep the whole group down. @default none
   */
  readonly mirrored?: readonly string[];
  readonly checker: FileChecker | NoChecker;
}

/** Who may open a port: processes on the host only, or the network the security group admits. */
export type PortReach =
  | 'loopback'
  /** the configured `host.grafanaAllowedCidrs` (and the load balancer, with TLS) */
  | 'grafana-users'
  /** the configured telemetry sources (OTLP from the app networks) */
  | 'telemetry-sources'
  /** the ingest nodes of `scale: distributed` (lib/scale/) */
  | 'ingest-fleet';

export interface ServicePort {
  readonly port: number;
  readonly what: string;
  /** Everyone who may open it (the security groups admit exactly the network ones). */
  readonly reach: readonly PortReach[];
  /** Path of the program's health (or readiness) endpoint, on the port that serves it. */
  readonly health?: string;
  /** Whether its own `/metrics` are here (the port its scrape job scrapes; one per service). @default false */
  readonly metrics?: boolean;
}

/** What a unit's rendering needs from its context. */
export interface UnitContext {
  readonly config: PlatformConfig;
  /** Absolute path of an artifact's executable at the pinned version and the host's architecture. */
  readonly bin: (artifact: ArtifactName, executable: string) => string;
}

/** A descriptor's unit settings: ExecStart, data directory and sandbox exceptions (renderHardenedUnit reads them). */
export type ServiceUnitSettings = Omit<ServiceSpec, 'unit' | 'description' | 'user' | 'uid' | 'artifact' | 'reload'>;

/**
 * One long-running program on the monitoring host: everything the platform knows about it, read by the renderers
 * (its unit, the install script's user and directories, the sync's file group, checker and reload).
 */
export interface HostServiceDescriptor {
  /** Unit name without `.service`; also the sync's group of its files (the `group` label of lgtm_config_sync_refused). */
  readonly unit: string;
  readonly description: string;
  readonly artifact: ArtifactName;
  /** System user (and group) it runs as. */
  readonly user: string;
  /**
   * Fixed uid/gid, so that files on the data volume keep their owner when the instance is replaced and the
   * volume is attached to a new one.
   */
  readonly uid: number;
  /** Whether this config runs it. @default always */
  readonly runsWhen?: (config: PlatformConfig) => boolean;
  /** Its configuration files, if the platform renders any. */
  readonly files?: OwnedFiles;
  readonly reload: ReloadAction;
  /** The ports it listens on, who may reach each, and which serves its health endpoint. */
  readonly ports: (config: PlatformConfig) => readonly ServicePort[];
  /** The Prometheus job that scrapes its own metrics (lib/contracts/scrape-jobs.ts), on its `metrics` port. */
  readonly scrapeJob: string;
  /** Its scrape job's `sample_limit`: more samples than this fail the scrape (up = 0) instead of flooding the TSDB. */
  readonly sampleLimit: number;
  /** Settings its scrape job adds to the platform's loopback defaults (Grafana's HTTPS, with `host.grafanaTls`). */
  readonly scrapeSettings?: (config: PlatformConfig) => Readonly<Record<string, unknown>>;
  /**
   * The alert that fires when its scrape target is down: PlatformComponentDown, whose expression (and game day)
   * covers every service naming it, or an alert of its own that says more (the host's Node Exporter: the host).
   */
  readonly downAlert: AlertName;
  /** Its unit's command line and sandbox settings. */
  readonly unitSettings: (context: UnitContext) => ServiceUnitSettings;
}

/** Files of the host's own machinery (scripts, unit files): a sync group that is no program. */
export interface MachineryFileGroup {
  readonly group: string;
  readonly files: OwnedFiles;
  /** The body of the group's arm in the sync's `apply_group`, after its files were swapped in. */
  readonly apply: readonly string[];
}
