import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { Construct, type ITerraformDependable } from '../framework';
import { hardenBucket } from '../host/private-bucket';

export interface TelemetryBucketProps {
  /** Bucket name prefix; AWS appends a unique suffix, e.g. `anvila-logs-`. */
  readonly namePrefix: string;
  /**
   * Days after which objects expire. The engine's own retention (Loki's compactor, Tempo's compactor) deletes
   * first; this is the backstop, one day later, so an engine that stopped compacting still cannot keep data longer.
   */
  readonly retentionDays: number;
  /** Days a replaced or deleted object's old version is kept (versioning guards against a bad compaction). */
  readonly noncurrentVersionDays: number;
}

/**
 * One bucket an engine keeps its data in: hardened like every platform bucket (versioning, SSE, public access
 * block, BucketOwnerEnforced, TLS only) plus a lifecycle matching the engine's retention, removal of old
 * versions and of abandoned multipart uploads. Only the instance role may use it (IAM, not a bucket grant).
 */
export class TelemetryBucket extends Construct {
  readonly bucket: S3Bucket;
  /** What must exist before an engine writes to the bucket. */
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: TelemetryBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: props.namePrefix, forceDestroy: false });
    const hardening = hardenBucket(this, this.bucket);
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ days: props.retentionDays + 1 }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
        {
          id: 'expired-delete-markers',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
      dependsOn: hardening,
    });
    this.ready = [...hardening, lifecycle];
  }
}

export interface TelemetryBucketsProps {
  readonly namePrefix: string;
  readonly logRetentionDays: number;
  readonly traceRetentionDays: number;
  readonly noncurrentVersionDays: number;
}

/** S3 allows bucket prefixes of at most 37 characters (AWS appends 26); a long platform name is shortened. */
export const MAX_BUCKET_PREFIX = 37;

export function bucketPrefix(name: string, purpose: string): string {
  const suffix = `-${purpose}-`;
  return `${name.slice(0, MAX_BUCKET_PREFIX - suffix.length)}${suffix}`;
}

/** Loki's and Tempo's buckets (`scale: distributed`). */
export class TelemetryBuckets extends Construct {
  readonly logs: TelemetryBucket;
  readonly traces: TelemetryBucket;

  constructor(scope: Construct, id: string, props: TelemetryBucketsProps) {
    super(scope, id);
    this.logs = new TelemetryBucket(this, 'logs', {
      namePrefix: bucketPrefix(props.namePrefix, 'logs'),
      retentionDays: props.logRetentionDays,
      noncurrentVersionDays: props.noncurrentVersionDays,
    });
    this.traces = new TelemetryBucket(this, 'traces', {
      namePrefix: bucketPrefix(props.namePrefix, 'traces'),
      retentionDays: props.traceRetentionDays,
      noncurrentVersionDays: props.noncurrentVersionDays,
    });
  }

  /** Both buckets, for IAM and checks. */
  get all(): TelemetryBucket[] {
    return [this.logs, this.traces];
  }
}
