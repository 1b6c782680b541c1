import type { RestoreStart } from './history';

/**
 * The exporter's own configuration: a JSON file rendered from `PlatformConfig.dora` by
 * `renderDoraExporterFiles` (lib/dora/dora-exporter-files.ts) and given with `--config FILE`.
 * Validated by hand so the bundled program carries no schema library.
 */
export interface ExporterRepository {
  /** `owner/name`. */
  readonly repo: string;
  /** Workflow file name under .github/workflows, e.g. `deploy.yml`. */
  readonly deployWorkflow: string;
  /** Value of the `environment` label. */
  readonly environment: string;
  /** Branch whose runs are deploys. @default the repository's default branch */
  readonly branch?: string;
  /**
   * Instead of `branch`: the ref (branch or tag) whose runs are deploys, as a pattern where `*` stands for any
   * characters: `v*` (release tags), `release/*`, `*` (any ref). A name without `*` is that one ref.
   */
  readonly deployRef?: string;
}

export interface ExporterConfig {
  /** GitHub REST base URL, `https://api.github.com` or `https://HOST/api/v3`. */
  readonly apiUrl: string;
  /** File holding the API token; read before every poll so a rotated token is picked up. */
  readonly tokenFile: string;
  /** JSON state file; survives restarts so nothing is counted twice or forgotten. */
  readonly stateFile: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly pollIntervalSeconds: number;
  /** Issues with this label are incidents. */
  readonly incidentLabel: string;
  /** Words in a deploy's run title or head commit message that mark it as a rollback/hotfix of the previous deploy. */
  readonly rollbackMarkers: readonly string[];
  readonly repositories: readonly ExporterRepository[];
  /** How far back the first poll reads history, and how long records are kept. @default 30 */
  readonly lookbackDays: number;
  /** Page size of list requests (GitHub allows at most 100). @default 100 */
  readonly perPage: number;
  /** Where a restore starts (see RestoreStart in history.ts). @default deployed */
  readonly timeToRestoreFrom: RestoreStart;
}

const RESTORE_STARTS: readonly RestoreStart[] = ['deployed', 'incident_opened'];

/**
 * The API base URL must be https: the token travels with every request. Plain http is allowed only to a
 * loopback address (a local GitHub stand-in in tests), where nothing crosses the network.
 */
export function apiUrlProblem(apiUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return 'an https:// URL';
  }
  if (url.protocol === 'https:' && url.hostname) return undefined;
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && loopback) return undefined;
  return 'an https:// URL (plain http only to a loopback address such as 127.0.0.1)';
}

export class ExporterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExporterConfigError';
  }
}

function fail(path: string, expected: string, found: unknown): never {
  throw new ExporterConfigError(`exporter config: ${path}: expected ${expected}, found ${JSON.stringify(found)}`);
}

function str(obj: Record<string, unknown>, key: string, path: string): string {
  const value = obj[key];
  if (typeof value !== 'string' || value.length === 0) fail(`${path}${key}`, 'a non-empty string', value);
  return value;
}

function int(obj: Record<string, unknown>, key: string, path: string, min: number, max: number, fallback?: number): number {
  const value = obj[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    fail(`${path}${key}`, `a whole number between ${min} and ${max}`, value);
  return value;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path || '(root)', 'an object', value);
  return value as Record<string, unknown>;
}

/** Validates a parsed config file; throws ExporterConfigError naming the bad key. */
export function parseExporterConfig(raw: unknown): ExporterConfig {
  const root = record(raw, '');
  const listen = record(root.listen, 'listen');
  const repositories = root.repositories;
  if (!Array.isArray(repositories) || repositories.length === 0) fail('repositories', 'a non-empty list', repositories);
  const markers = root.rollbackMarkers ?? [];
  if (!Array.isArray(markers) || markers.some((m) => typeof m !== 'string' || m.length === 0))
    fail('rollbackMarkers', 'a list of non-empty strings', markers);
  const apiUrl = str(root, 'apiUrl', '');
  const urlProblem = apiUrlProblem(apiUrl);
  if (urlProblem) fail('apiUrl', urlProblem, apiUrl);
  const restoreFrom = root.timeToRestoreFrom ?? 'deployed';
  if (!RESTORE_STARTS.includes(restoreFrom as RestoreStart)) fail('timeToRestoreFrom', `one of ${RESTORE_STARTS.join(', ')}`, restoreFrom);
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    tokenFile: str(root, 'tokenFile', ''),
    stateFile: str(root, 'stateFile', ''),
    listen: { host: str(listen, 'host', 'listen.'), port: int(listen, 'port', 'listen.', 0, 65535) },
    pollIntervalSeconds: int(root, 'pollIntervalSeconds', '', 1, 86400, 300),
    incidentLabel: str(root, 'incidentLabel', ''),
    rollbackMarkers: markers as string[],
    lookbackDays: int(root, 'lookbackDays', '', 1, 365, 30),
    perPage: int(root, 'perPage', '', 1, 100, 100),
    timeToRestoreFrom: restoreFrom as RestoreStart,
    repositories: repositories.map((item, i) => {
      const entry = record(item, `repositories[${i}]`);
      const path = `repositories[${i}].`;
      const repo = str(entry, 'repo', path);
      if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) fail(`${path}repo`, 'owner/name', repo);
      const branch = entry.branch === undefined ? undefined : str(entry, 'branch', path);
      const deployRef = entry.deployRef === undefined ? undefined : str(entry, 'deployRef', path);
      if (branch !== undefined && deployRef !== undefined) fail(`${path}deployRef`, 'either branch or deployRef, not both', deployRef);
      return { repo, deployWorkflow: str(entry, 'deployWorkflow', path), environment: str(entry, 'environment', path), branch, deployRef };
    }),
  };
}
