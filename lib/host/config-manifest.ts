import { createHash } from 'node:crypto';
import type { HostFile } from '../shared/host-file';

/*
 * The sealed config channel. The stack writes, next to the host files in the config bucket, a manifest naming
 * every file it uploads with its SHA-256, mode and owner, and puts the manifest's own SHA-256 into an SSM String
 * parameter that the host role may only read. lgtm-sync installs a file only if the manifest lists it, its bytes
 * hash to the listed digest and the manifest hashes to the parameter; so a writer of the bucket alone can
 * replace no file on the host (docs/security.md says why the digest lives in SSM).
 */

/** Key of the manifest relative to the config prefix. It is no host path, so no sync can ever install it. */
export const CONFIG_MANIFEST_OBJECT = 'lgtm-config-manifest';

/**
 * Owner and group of every installed file. The sync holds no capabilities (CAP_CHOWN above all), so it can only
 * create files owned by root:root; a manifest naming another owner is refused rather than half applied.
 */
export const MANIFEST_OWNERS = ['root:root'] as const;

/**
 * The modes a manifest may give a file (a bash and a JavaScript regular expression alike): no setuid, setgid or
 * sticky bit, and no write for group or others.
 */
export const MANIFEST_MODE_PATTERN = '^0[0-7][0145][0145]$';

/** The SSM String parameter holding the SHA-256 (hex) of the platform's manifest. */
export function configManifestParameterName(platformName: string): string {
  return `/lgtm/${platformName}/config-manifest-sha256`;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The manifest: a comment line, then `<sha256> <mode> <owner:group> <absolute path>` per file, sorted by path.
 * `digestOf` is the file's SHA-256 in hex; in a stack it is a Terraform expression over the uploaded object.
 */
export function renderConfigManifest(files: readonly HostFile[], digestOf: (file: HostFile) => string = (file) => sha256Hex(file.content)): string {
  const mode = new RegExp(MANIFEST_MODE_PATTERN);
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => {
      const fileMode = file.mode ?? '0644';
      if (!mode.test(fileMode) || /\s/.test(file.path))
        throw new Error(`host file ${file.path}: mode ${fileMode} or path cannot be sealed (mode must match ${MANIFEST_MODE_PATTERN}, path without spaces)`);
      return `${digestOf(file)} ${fileMode} ${MANIFEST_OWNERS[0]} ${file.path}\n`;
    });
  return `# lgtm config manifest v1: sha256 mode owner:group path\n${lines.join('')}`;
}

/** How a script calls the AWS CLI and where the config objects are, as bash words (may hold variables). */
export interface SealedFetchShell {
  /** The AWS CLI command, e.g. `aws` or `"$AWS"`. */
  readonly aws: string;
  /** Extra arguments of `aws s3 cp` and of `aws ssm get-parameter` (region, endpoint). */
  readonly s3Arguments: string;
  readonly ssmArguments: string;
  /** `s3://<bucket>/<prefix>/`, ending in a slash. */
  readonly objectsUrl: string;
  /** The manifest digest's parameter name, as a bash word. */
  readonly parameter: string;
}

/**
 * bash function `fetch_sealed <absolute host path> <destination>`: downloads one host file only if the manifest
 * hashes to its digest in SSM and lists the file with the file's SHA-256. For what runs before lgtm-sync exists
 * (the bootstrap's installer, the installer's first sync script); lgtm-sync checks everything else.
 */
export function sealedFetchFunction(shell: SealedFetchShell): string {
  return `fetch_sealed() {
  local path="$1" dest="$2" work digest listed status=1
  work="$(mktemp -d)"
  if ! digest="$(${shell.aws} ssm get-parameter ${shell.ssmArguments} --name ${shell.parameter} --query Parameter.Value --output text)"; then
    echo "fetch_sealed: cannot read SSM parameter ${shell.parameter} (the config manifest's SHA-256)" >&2
  elif ! ${shell.aws} s3 cp ${shell.s3Arguments} --only-show-errors "${shell.objectsUrl}${CONFIG_MANIFEST_OBJECT}" "$work/manifest"; then
    echo "fetch_sealed: cannot read the config manifest" >&2
  elif [[ "$(sha256sum "$work/manifest" | cut -d' ' -f1)" != "$digest" ]]; then
    echo "fetch_sealed: REFUSED $path: the manifest's SHA-256 is not the one in SSM parameter ${shell.parameter}" >&2
  elif ! listed="$(awk -v p="$path" '$4 == p && $1 ~ /^[0-9a-f]+$/ { print $1; found = 1 } END { exit !found }' "$work/manifest")"; then
    echo "fetch_sealed: REFUSED $path: not in the manifest" >&2
  elif ! ${shell.aws} s3 cp ${shell.s3Arguments} --only-show-errors "${shell.objectsUrl}\${path#/}" "$work/file"; then
    echo "fetch_sealed: cannot read $path from the config bucket" >&2
  elif [[ "$(sha256sum "$work/file" | cut -d' ' -f1)" != "$listed" ]]; then
    echo "fetch_sealed: REFUSED $path: its SHA-256 is not the one the manifest lists" >&2
  else
    mv -f "$work/file" "$dest"
    status=0
  fi
  rm -rf "$work"
  return "$status"
}`;
}
