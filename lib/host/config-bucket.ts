import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Construct, linearText, type ITerraformDependable } from '../framework';
import { escapeTerraformTemplate } from '../terraform-text';
import type { HostFile } from './host-file';

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
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const ownership = new S3BucketOwnershipControls(this, 'ownership', {
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          actions: ['s3:*'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          principals: [{ type: '*', identifiers: ['*'] }],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    const policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: tlsOnly.json,
      dependsOn: [publicAccess],
    });
    this.ready.push(versioning, encryption, publicAccess, ownership, policy);
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
