import { createHash } from 'node:crypto';

/** How a snapshot shows an embedded file: its size and digest, so it still changes when a byte of the file does. */
export function fileDigest(content: string): string {
  return `<${Buffer.byteLength(content)} bytes, sha256 ${createHash('sha256').update(content).digest('hex')}>`;
}

/**
 * A synthesized stack for a snapshot: parsed, with every embedded host file (the config bucket's objects, the
 * monitoring host's and the ingest nodes' user data) replaced by {@link fileDigest}. The snapshot then shows the
 * stack's shape (resources, wiring, which files exist under which keys) and flags any change of a file, while
 * each file's content is proved by its own tests (promtool, amtool, systemd-analyze, shellcheck, the live tests).
 */
export function snapshotOf(synthesized: string): unknown {
  const stack = JSON.parse(synthesized);
  const resources = stack.resource ?? {};
  for (const object of Object.values<any>(resources.aws_s3_object ?? {})) if (typeof object.content === 'string') object.content = fileDigest(object.content);
  for (const type of ['aws_instance', 'aws_launch_template'])
    for (const resource of Object.values<any>(resources[type] ?? {}))
      if (typeof resource.user_data === 'string') resource.user_data = fileDigest(resource.user_data);
  return stack;
}
