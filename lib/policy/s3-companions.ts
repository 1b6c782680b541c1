import { blocks, refersTo, resourcesOf } from './elements';
import type { StackDocument, TerraformElement } from './types';

/** Resources of `type` configuring `bucket` (through their `bucket` attribute). */
export function companionsOf(bucket: TerraformElement, stack: StackDocument, type: string): TerraformElement[] {
  return resourcesOf(stack, type).filter((r) => refersTo(r.attributes.bucket, bucket));
}

export function isBucket(element: TerraformElement): boolean {
  return element.kind === 'resource' && element.type === 'aws_s3_bucket';
}

/** A bucket's legacy inline block, e.g. `versioning` on `aws_s3_bucket` (AWS provider 3 style). */
export function inlineBlock(bucket: TerraformElement, name: string): Record<string, any> | undefined {
  return blocks(bucket.attributes[name])[0];
}
