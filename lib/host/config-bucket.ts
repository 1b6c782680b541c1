import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { Construct, linearText, type ITerraformDependable } from '../framework';
import { escapeTerraformTemplate } from '../terraform-text';
import type { HostFile } from '../shared/host-file';
import { hardenBucket } from './private-bucket';

export interface ConfigBucketProps {
  /** Bucket name prefix; AWS appends a unique suffix. */
  readonly namePrefix: string;
  /** Key prefix of the host files, without slashes. @default host */
  readonly keyPrefix?: string;
  /**
   * IAM principal ARNs (roles or users) that may write or delete objects; every other principal is denied, as a
   * write here is root on the host. Matched against `aws:PrincipalArn` (a role, never a session; wildcards allowed).
   * @default the principal that deploys the stack (for an assumed-role session, the role behind it)
   */
  readonly writerArns?: readonly string[];
}

/** What a writer can do to the host through the bucket: replace or remove the files it installs. */
export const CONFIG_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectTagging', 's3:RestoreObject'] as const;

/**
 * The versioned, encrypted, private bucket the host syncs its files from. Every rendered host file becomes one
 * object at `<keyPrefix><absolute host path>`, so a config change is an object update and never an instance change.
 * Only `writerArns` may write to it: whoever writes here controls what the host runs as root.
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
    const writerArns = props.writerArns ?? [
      new DataAwsIamSessionContext(this, 'deployer', { arn: new DataAwsCallerIdentity(this, 'caller').arn }).issuerArn,
    ];
    this.ready.push(
      ...hardenBucket(this, this.bucket, [
        {
          sid: 'DenyWritesExceptConfigWriters',
          effect: 'Deny',
          actions: [...CONFIG_WRITE_ACTIONS],
          resources: [`${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: [...writerArns] }],
        },
      ]),
    );
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
