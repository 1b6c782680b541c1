import { createHash } from 'node:crypto';

const LARGE = 64 * 1024;

/**
 * A synthesized stack for a snapshot: parsed, with the content of very large objects (the bundled DORA
 * exporter) replaced by its size and digest, so the snapshot stays reviewable yet still changes when they do.
 */
export function snapshotOf(synthesized: string): unknown {
  const stack = JSON.parse(synthesized);
  for (const object of Object.values<any>(stack.resource?.aws_s3_object ?? {})) {
    if (typeof object.content === 'string' && object.content.length > LARGE)
      object.content = `<${object.content.length} bytes, sha256 ${createHash('sha256').update(object.content).digest('hex')}>`;
  }
  return stack;
}
