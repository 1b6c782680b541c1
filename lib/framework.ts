/**
 * The only module that imports the CDKTF framework itself. CDKTF was archived upstream after 0.21; moving to
 * the community fork (CDK Terrain, package `cdktn`) is a change of the module name below and nothing else.
 */
import { Token, type IResolvable, type IResolveContext } from 'cdktf';

export { Annotations, App, TerraformStack, TerraformOutput, TerraformVariable, Fn, Lazy, Token, Testing, S3Backend, LocalBackend } from 'cdktf';
import type { ITerraformDependable } from 'cdktf';
export type { ITerraformDependable } from 'cdktf';
export { Construct } from 'constructs';

/**
 * A long text (already escaped for Terraform, see escapeTerraformTemplate) as a string attribute, resolved in
 * linear time. CDKTF resolves a string that holds a token by also splitting it on Terraform escapes, and
 * for every `}` it rescans the rest of the string for the next `${`: quadratic in the text's size. A rule
 * file of 500 services (10 MB, 140,000 braces, with the Grafana address token in every alert) took 9 minutes
 * to synthesize that way. Read here, the text's tokens are resolved exactly as before and its braces are left
 * as literal text, which is what they are once escaped. A text without a token is returned as it is.
 */
export function linearText(text: string): string {
  return Token.isUnresolved(text) ? Token.asString(new LinearText(text)) : text;
}

class LinearText implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly text: string) {}

  resolve(context: IResolveContext): unknown {
    const ignoreEscapes = context.ignoreEscapes;
    context.ignoreEscapes = true;
    try {
      return context.resolve(this.text);
    } finally {
      context.ignoreEscapes = ignoreEscapes;
    }
  }

  toString(): string {
    return Token.asString(this);
  }
}

/**
 * A `depends_on` entry for a resource created after the one that must wait for it (the constructor's `dependsOn`
 * is no longer open): what CDKTF itself writes for a dependency given at construction.
 */
export function dependencyOn(dependable: ITerraformDependable): string {
  return Token.asString(new Dependency(dependable));
}

class Dependency implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly dependable: ITerraformDependable) {}

  resolve(context: IResolveContext): unknown {
    context.suppressBraces = true;
    return this.dependable.fqn;
  }
}
