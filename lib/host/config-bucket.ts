import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct, linearText, type ITerraformDependable } from '../framework';
import { escapeTerraformTemplate } from '../terraform-text';
import type { HostFile } from './host-file';
import { hardenBucket } from './private-bucket';

export interface ConfigBucketProps {
  /** Bucket name prefix; AWS appends a unique suffix. */
  readonly namePrefix: string;
  /** Key prefix of the host files, without slashes. @default host */
  readonly keyPrefix?: string;
}

/**
 * The versioned, encrypted, private bucket the host syncs its files from. Every rendered host file becomes one
 * object at `<keyPrefix><absolute host path>`, so a config change is an object update and never an instance change.
 */
export class ConfigBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly keyPrefix: string;
  /** Everything the objects need before the host may boot. */
  readonly ready: ITerraformDependable[] = [];
  private readonly objects: S3Object[] = [];

  constructor(scope: Construct, id: string, props: ConfigBucketProps) {
    super(scope, id);
    this.keyPrefix = props.keyPrefix ?? 'host';
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: `${props.namePrefix}-config-`, forceDestroy: false });
    this.ready.push(...hardenBucket(this, this.bucket));
  }

  /** Uploads the host files as objects; versioning keeps every earlier copy. */
  addFiles(files: readonly HostFile[]): void {
    for (const file of files) {
      this.objects.push(
        new S3Object(this, `file${file.path.replace(/[^A-Za-z0-9]+/g, '-')}`, {
          bucket: this.bucket.id,
          key: `${this.keyPrefix}${file.path}`,
          content: linearText(escapeTerraformTemplate(file.content)),
          contentType: contentTypeOf(file.path),
          metadata: { mode: file.mode ?? '0644' },
          dependsOn: this.ready,
        }),
      );
    }
  }

  /** The uploaded objects, so the host can wait for them. */
  get uploaded(): readonly S3Object[] {
    return this.objects;
  }
}

function contentTypeOf(path: string): string {
  if (/\.ya?ml$/.test(path)) return 'application/yaml';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.js')) return 'text/javascript';
  return 'text/plain';
}
