import { AWS_ENDPOINT_VARIABLES } from './bootstrap-user-data';
import { BOOTSTRAP_ENV } from '../shared/host-paths';

/*
 * The opening lines every host script shares: test-mode command overrides, logging, and the bootstrap's
 * settings. Each script stays self-contained on the host; only its source is shared here.
 */

/**
 * Commands that change the machine outside the install tree. In production they are the real commands; with
 * `LGTM_ROOT` set (tests) each must be overridden by `LGTM_<NAME>`, or the script refuses to run.
 */
export const SYSTEM_COMMANDS = {
  SYSTEMCTL: 'systemctl',
  USERADD: 'useradd',
  GETENT: 'getent',
  CHOWN: 'chown',
  MOUNT: 'mount',
  MOUNTPOINT: 'mountpoint',
  MKFS: 'mkfs.xfs',
  BLKID: 'blkid',
  AWS: 'aws',
  DNF: 'dnf',
  SYSTEMD_RUN: 'systemd-run',
} as const;

/** bash lines that bind each system command to its variable, refusing real ones under a test root. */
export function systemCommandPreamble(script: string, names: readonly (keyof typeof SYSTEM_COMMANDS)[]): string {
  return `ROOT="\${LGTM_ROOT:-}"
ROOT="\${ROOT%/}"
if [[ -n "$ROOT" ]]; then
  for var in ${names.map((n) => `LGTM_${n}`).join(' ')}; do
    if [[ -z "\${!var:-}" ]]; then
      echo "${script}: LGTM_ROOT is set (test mode) but $var is not; refusing to touch the real system" >&2
      exit 2
    fi
  done
fi
${names.map((n) => `${n}="\${LGTM_${n}:-${SYSTEM_COMMANDS[n]}}"`).join('\n')}`;
}

/** bash `log` and `die` helpers that prefix every line with the script's name. */
export function scriptLogging(script: string): string {
  return `log() { echo "${script}: $*"; }
die() {
  echo "${script}: ERROR: $*" >&2
  exit 1
}`;
}

/** bash lines that read the bootstrap's settings (bucket, prefix, region, data volume, AWS endpoints) when present. */
export function sourceBootstrapEnv(): string {
  return `if [[ -r "$ROOT${BOOTSTRAP_ENV}" ]]; then
  # shellcheck disable=SC1091
  . "$ROOT${BOOTSTRAP_ENV}"
fi`;
}

/**
 * The argument that points one `aws` call at `host.awsEndpoints` (from the bootstrap file), or nothing when
 * none is set. It is passed explicitly because older AWS CLIs (Debian's, Amazon Linux 2's) ignore
 * `AWS_ENDPOINT_URL_<SERVICE>`. Escaped for a TypeScript template literal that renders bash.
 */
export function awsEndpointArgument(service: keyof typeof AWS_ENDPOINT_VARIABLES): string {
  const variable = AWS_ENDPOINT_VARIABLES[service];
  return `\${${variable}:+"--endpoint-url=\$${variable}"}`;
}
