import * as ts from 'typescript';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/package-root';
import type { SchemaDocs } from '../lib/config/schema-docs';

/**
 * The JSDoc of every key of the platform description, read by the TypeScript compiler from the input type
 * (`PlatformConfigInput`, which carries the schema's JSDoc), keyed by path: `host.subnetId`,
 * `services[].environments[].probeUrl`. A build-time step: the package ships the result, not TypeScript.
 */
export function extractSchemaDocs(): SchemaDocs {
  const file = join(PACKAGE_ROOT, 'lib', 'config', 'schema.ts');
  const program = ts.createProgram([file], {
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    resolveJsonModule: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
  const input = checker.getExportsOfModule(module).find((symbol) => symbol.name === 'PlatformConfigInput');
  if (!input) throw new Error(`${file} exports no PlatformConfigInput`);
  const docs: SchemaDocs = {};
  const visiting = new Set<ts.Type>();

  const objectMembers = (type: ts.Type): ts.Type[] => {
    const members = type.isUnion() ? type.types : [type];
    return members.filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  };
  const walk = (type: ts.Type, path: string): void => {
    if (visiting.has(type)) return;
    visiting.add(type);
    for (const member of objectMembers(type)) {
      if (checker.isArrayType(member)) {
        walk(checker.getTypeArguments(member as ts.TypeReference)[0], `${path}[]`);
        continue;
      }
      if (!(member.flags & ts.TypeFlags.Object)) continue;
      for (const property of checker.getPropertiesOfType(member)) {
        const key = path ? `${path}.${property.name}` : property.name;
        const description = ts.displayPartsToString(property.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim();
        const defaultTag = property.getJsDocTags(checker).find((tag) => tag.name === 'default');
        const entry = { ...(description ? { description } : {}), ...(defaultTag ? { default: ts.displayPartsToString(defaultTag.text).trim() } : {}) };
        if (Object.keys(entry).length > 0 && !docs[key]) docs[key] = entry;
        walk(checker.getTypeOfSymbol(property), key);
      }
    }
    visiting.delete(type);
  };
  walk(checker.getDeclaredTypeOfSymbol(input), '');
  return Object.fromEntries(Object.entries(docs).sort(([a], [b]) => a.localeCompare(b)));
}
