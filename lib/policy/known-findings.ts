import type { Construct } from '../framework';
import { suppressPolicyRule } from './policy-check';

/**
 * The platform's own findings that are accepted for now, each with the reason synth prints. They stay visible
 * as synth warnings until the construct stops producing them; then the suppression reports itself as stale.
 */
export const INSTANCE_ROLE_PATTERNS_REASON =
  "ssm:UpdateInstanceInformation on this account's instances in this region, since an instance id exists only after its role; and, unless host.secretsKmsKeyArn names a key, kms:Decrypt on key/* of this account and region, limited by kms:ViaService and the parameters' encryption context";

/** An instance role's Session Manager registration on `instance/*` and its `kms:Decrypt` on `key/*` (narrowed by conditions to SSM and the named parameters). */
export function acceptInstanceRolePatterns(document: Construct): void {
  suppressPolicyRule(document, 'LGTM-IAM-NO-WILDCARD-RESOURCES', INSTANCE_ROLE_PATTERNS_REASON);
}

export const SNAPSHOT_PATTERN_REASON =
  'EC2 snapshot ARNs carry no account and their ids exist only once DLM takes them, so snapshot/* of this region is the narrowest resource; tagging is limited to CreateSnapshot and deletion to snapshots tagged with this data volume';

/** The data-volume snapshot role's `snapshot/*` of its region (narrowed by conditions to what DLM creates for this volume). */
export function acceptSnapshotPattern(document: Construct): void {
  suppressPolicyRule(document, 'LGTM-IAM-NO-WILDCARD-RESOURCES', SNAPSHOT_PATTERN_REASON);
}
