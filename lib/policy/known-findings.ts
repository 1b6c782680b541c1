import type { Construct } from '../framework';
import { suppressPolicyRule } from './policy-check';

/**
 * The platform's own findings that are accepted for now, each with the reason synth prints. They stay visible
 * as synth warnings until the construct stops producing them; then the suppression reports itself as stale.
 */
export const INSTANCE_ROLE_PATTERNS_REASON =
  "ssm:UpdateInstanceInformation on this account's instances in this region: the role must exist before its instance, so no policy of the role can name the instance id";

/** An instance role's Session Manager registration on `instance/*` (its secrets' key is named by ARN). */
export function acceptInstanceRolePatterns(document: Construct): void {
  suppressPolicyRule(document, 'LGTM-IAM-NO-WILDCARD-RESOURCES', INSTANCE_ROLE_PATTERNS_REASON);
}

export const SNAPSHOT_PATTERN_REASON =
  'EC2 snapshot ARNs carry no account and their ids exist only once DLM takes them, so snapshot/* of this region is the narrowest resource; tagging is limited to CreateSnapshot and deletion to snapshots tagged with this data volume';

/** The data-volume snapshot role's `snapshot/*` of its region (narrowed by conditions to what DLM creates for this volume). */
export function acceptSnapshotPattern(document: Construct): void {
  suppressPolicyRule(document, 'LGTM-IAM-NO-WILDCARD-RESOURCES', SNAPSHOT_PATTERN_REASON);
}
