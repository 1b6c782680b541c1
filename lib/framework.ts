/**
 * The only module that imports the CDKTF framework itself. CDKTF was archived upstream after 0.21; moving to
 * the community fork (CDK Terrain, package `cdktn`) is a change of the module name below and nothing else.
 */
export { Annotations, App, TerraformStack, TerraformOutput, TerraformVariable, Fn, Token, Testing, S3Backend, LocalBackend } from 'cdktf';
export type { ITerraformDependable } from 'cdktf';
export { Construct } from 'constructs';
