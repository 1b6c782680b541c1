import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Construct, Fn, linearText, type ITerraformDependable } from '../framework';
import { escapeTerraformTemplate } from '../terraform-text';
import { CONFIG_MANIFEST_OBJECT, configManifestParameterName, renderConfigManifest } from './config-manifest';
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
  /**
   * Name of the SSM String parameter that receives the manifest's SHA-256 (see config-manifest.ts).
   * @default `/lgtm/<namePrefix>/config-manifest-sha256`
   */
  readonly manifestParameterName?: string;
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
  /** The SSM String parameter holding the manifest's SHA-256, which the host reads. */
  readonly manifestParameterName: string;
  private readonly sealed: SsmParameter[] = [];

  constructor(scope: Construct, id: string, props: ConfigBucketProps) {
    super(scope, id);
    this.keyPrefix = props.keyPrefix ?? 'host';
    this.manifestParameterName = props.manifestParameterName ?? configManifestParameterName(props.namePrefix);
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: `${props.namePrefix}-config-`, forceDestroy: false });
    const writerArns = props.writerArns ?? [new DataAwsIamSessionContext(this, 'deployer', { arn: new DataAwsCallerIdentity(this, 'caller').arn }).issuerArn];
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

  /**
   * Uploads the host files as objects (versioning keeps every earlier copy) and seals them: the manifest object
   * lists each with Terraform's SHA-256 of the object's own content, and the manifest's SHA-256 goes into the SSM
   * parameter. Takes every host file at once, as one manifest covers them all.
   */
  addFiles(files: readonly HostFile[]): void {
    if (this.objects.length > 0) throw new Error('ConfigBucket.addFiles takes every host file in one call: one manifest seals them all');
    const objectOf = new Map<string, S3Object>();
    for (const file of files) {
      const object = new S3Object(this, `file${file.path.replace(/[^A-Za-z0-9]+/g, '-')}`, {
        bucket: this.bucket.id,
        key: `${this.keyPrefix}${file.path}`,
        content: linearText(escapeTerraformTemplate(file.content)),
        contentType: contentTypeOf(file.path),
        metadata: { mode: file.mode ?? '0644' },
        dependsOn: this.ready,
      });
      objectOf.set(file.path, object);
      this.objects.push(object);
    }
    // Hashing the object's own `content` attribute hashes exactly the bytes uploaded, tokens resolved.
    const manifest = new S3Object(this, 'manifest', {
      bucket: this.bucket.id,
      key: `${this.keyPrefix}/${CONFIG_MANIFEST_OBJECT}`,
      content: renderConfigManifest(files, (file) => Fn.sha256(objectOf.get(file.path)!.content)),
      contentType: 'text/plain',
      dependsOn: this.ready,
    });
    const digest = new SsmParameter(this, 'manifest-digest', {
      name: this.manifestParameterName,
      description: 'SHA-256 of the config manifest: lgtm-sync installs only files the manifest with this digest lists',
      type: 'String',
      value: Fn.sha256(manifest.content),
    });
    this.objects.push(manifest);
    this.sealed.push(digest);
  }

  /** The uploaded objects and the manifest's digest, so the host can wait for them. */
  get uploaded(): readonly ITerraformDependable[] {
    return [...this.objects, ...this.sealed];
  }
}

function contentTypeOf(path: string): string {
  if (/\.ya?ml$/.test(path)) return 'application/yaml';
  if (path.endsWith('.json')) return 'application/json';
  if (path.endsWith('.js')) return 'text/javascript';
  return 'text/plain';
}
