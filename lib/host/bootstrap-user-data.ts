import { sealedFetchFunction } from './config-manifest';
import { BOOTSTRAP_ENV, PATHS } from '../shared/host-paths';
import { q } from '../shared/shell-quote';

/** What the bootstrap needs to find the rest of the host's files. Values may be Terraform tokens. */
export interface BootstrapSettings {
  readonly bucket: string;
  /** Key prefix of the host files in the bucket, without slashes at either end. */
  readonly prefix: string;
  readonly region: string;
  readonly dataVolumeId: string;
  /** The SSM String parameter holding the config manifest's SHA-256: the installer is fetched only if it matches. */
  readonly manifestParameter: string;
  /** `host.awsEndpoints`: S3/SSM endpoints to call instead of the regional ones. @default the regional endpoints */
  readonly awsEndpoints?: { readonly s3?: string; readonly ssm?: string };
}

/** The bootstrap-file variables that carry `host.awsEndpoints`: the names newer AWS CLIs and SDKs read themselves. */
export const AWS_ENDPOINT_VARIABLES = { s3: 'AWS_ENDPOINT_URL_S3', ssm: 'AWS_ENDPOINT_URL_SSM' } as const;

const INSTALLER_PATH = PATHS.installScript;
/**
 * cloud-init runs user-data once, so a first boot whose installer fails (an artifact mirror or the bucket briefly
 * unreachable) would stay half-installed; the installer is idempotent, so the bootstrap retries it for ~20 minutes.
 */
const INSTALL_ATTEMPTS = 60;
const INSTALL_RETRY_SECONDS = 20;
const BOOTSTRAP_ENV_PATH = BOOTSTRAP_ENV;

/**
 * EC2 user-data: a small bootstrap (user-data is capped at 16 KB) that records where the config lives, fetches
 * the installer from the config bucket with the instance role, and runs it until it converges. It holds no secret:
 * the installer reads secrets from SSM itself. It retries the download because the bucket objects and the instance
 * are created in parallel. The installer runs as root, so it is fetched sealed: only if the config manifest hashes
 * to its digest in SSM and lists the installer's SHA-256 (a writer of the bucket alone cannot replace it).
 */
export function renderBootstrapUserData(settings: BootstrapSettings): string {
  const endpoints = (Object.keys(AWS_ENDPOINT_VARIABLES) as (keyof typeof AWS_ENDPOINT_VARIABLES)[])
    .filter((service) => settings.awsEndpoints?.[service])
    .map((service) => `${AWS_ENDPOINT_VARIABLES[service]}=${settings.awsEndpoints![service]}\n`)
    .join('');
  const s3Endpoint = settings.awsEndpoints?.s3 ? ` --endpoint-url=${settings.awsEndpoints.s3}` : '';
  const ssmEndpoint = settings.awsEndpoints?.ssm ? ` --endpoint-url=${settings.awsEndpoints.ssm}` : '';
  return `#!/bin/bash
set -euo pipefail
umask 022
install -d -m 0755 /etc/lgtm
cat > ${BOOTSTRAP_ENV_PATH} <<'ENV'
LGTM_BUCKET=${settings.bucket}
LGTM_PREFIX=${settings.prefix}
AWS_REGION=${settings.region}
DATA_VOLUME_ID=${settings.dataVolumeId}
${endpoints}ENV
chmod 0644 ${BOOTSTRAP_ENV_PATH}
${sealedFetchFunction({
  aws: 'aws',
  s3Arguments: `--region "${settings.region}"${s3Endpoint}`,
  ssmArguments: `--region "${settings.region}"${ssmEndpoint}`,
  objectsUrl: `s3://${settings.bucket}/${settings.prefix}/`,
  parameter: q(settings.manifestParameter),
})}
for attempt in $(seq 1 30); do
  if fetch_sealed ${INSTALLER_PATH} ${INSTALLER_PATH}.download; then
    break
  fi
  echo "lgtm bootstrap: installer not readable yet (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done
test -s ${INSTALLER_PATH}.download
install -m 0755 ${INSTALLER_PATH}.download ${INSTALLER_PATH}
rm -f ${INSTALLER_PATH}.download
for attempt in $(seq 1 ${INSTALL_ATTEMPTS}); do
  if ${INSTALLER_PATH}; then
    exit 0
  fi
  echo "lgtm bootstrap: the installer failed (attempt $attempt of ${INSTALL_ATTEMPTS}), retrying in ${INSTALL_RETRY_SECONDS} s" >&2
  sleep ${INSTALL_RETRY_SECONDS}
done
echo "lgtm bootstrap: the installer did not converge after ${INSTALL_ATTEMPTS} attempts; run ${INSTALLER_PATH} by hand" >&2
exit 1
`;
}
