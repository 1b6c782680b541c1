import type { PlatformConfig } from './config/schema';
import { S3Backend, type TerraformStack } from './framework';

/**
 * Points a stack's Terraform state at the S3 bucket named in `terraformState`, encrypted and locked (a
 * DynamoDB table when one is named, else Terraform's S3 lock file). Without `terraformState` the stack keeps
 * cdktf's local default. Cross-stack references follow the producing stack's backend.
 */
export function configureStackState(stack: TerraformStack, config: PlatformConfig): void {
  const state = config.terraformState;
  if (!state) return;
  const backend = new S3Backend(stack, {
    bucket: state.s3Bucket,
    key: `${state.keyPrefix ?? config.name}/${stack.node.id}.tfstate`,
    region: state.region ?? config.region,
    encrypt: true,
    dynamodbTable: state.dynamodbTable,
  });
  if (!state.dynamodbTable) backend.addOverride('use_lockfile', true);
}
