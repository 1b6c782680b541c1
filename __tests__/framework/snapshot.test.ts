import { createHash } from 'node:crypto';
import { fileDigest, snapshotOf } from '../helpers/snapshot';

const stack = (content: string, userData: string) =>
  JSON.stringify({
    resource: {
      aws_s3_object: { prometheus: { bucket: 'b', key: 'files/etc/prometheus/prometheus.yml', content } },
      aws_instance: { host: { instance_type: 't3.large', user_data: userData } },
      aws_launch_template: { ingest: { name_prefix: 'ingest-', user_data: Buffer.from(userData).toString('base64') } },
      aws_s3_bucket: { config: { bucket_prefix: 'cfg-' } },
    },
  });

describe('GIVEN a whole-stack snapshot', () => {
  const content = 'global:\n  scrape_interval: 15s # é\n';
  const shown = snapshotOf(stack(content, '#!/bin/bash\necho boot\n')) as any;

  it('THEN each embedded host file shows as its size in bytes and SHA-256, everything else as synthesized', () => {
    expect(shown.resource.aws_s3_object.prometheus).toEqual({
      bucket: 'b',
      key: 'files/etc/prometheus/prometheus.yml',
      content: `<${Buffer.byteLength(content)} bytes, sha256 ${createHash('sha256').update(content).digest('hex')}>`,
    });
    expect(shown.resource.aws_instance.host).toEqual({ instance_type: 't3.large', user_data: fileDigest('#!/bin/bash\necho boot\n') });
    expect(shown.resource.aws_launch_template.ingest.user_data).toMatch(/^<\d+ bytes, sha256 [0-9a-f]{64}>$/);
    expect(shown.resource.aws_s3_bucket).toEqual({ config: { bucket_prefix: 'cfg-' } });
    expect(JSON.stringify(shown)).not.toContain('scrape_interval');
  });

  it('THEN a change of one byte of a file changes the snapshot', () => {
    const changed = snapshotOf(stack(content.replace('15s', '16s'), '#!/bin/bash\necho boot\n')) as any;
    expect(changed.resource.aws_s3_object.prometheus.content).not.toBe(shown.resource.aws_s3_object.prometheus.content);
    expect(changed.resource.aws_instance).toEqual(shown.resource.aws_instance);
  });
});
