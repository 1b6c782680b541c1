import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

/*
 * Everything the package ships lives under one source root, lib/, which tsconfig.build.json compiles to
 * dist/lib/ (package.json's main and types): no module under lib/ reaches outside it, so the build needs no other
 * folder and a file outside lib/ can never be shipped by accident. Programs and tools outside lib/ (the DORA
 * exporter's entry point, scripts/, bench/, the tests) may import lib/, never the other way round.
 */
const ROOT = join(__dirname, '../..');
const LIB = join(ROOT, 'lib');
const SCRIPT = /\.(?:[cm]?js|tsx?)$/;
const MOCKING_CALLS = new Set(['mock', 'doMock', 'unmock', 'requireActual', 'requireMock', 'setMock', 'createMockFromModule']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return SCRIPT.test(entry.name) ? [path] : [];
  });
}

/**
 * Every module specifier the file names: import/export declarations, `import x = require()`, `import()` types
 * and calls, `require()`, `require.resolve()` and jest's module-mocking calls.
 */
function moduleSpecifiers(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      found.push(node.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]) && isModuleCall(node.expression)) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isModuleCall(callee: ts.Expression): boolean {
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  if (ts.isIdentifier(callee)) return callee.text === 'require';
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression)) return false;
  const [object, method] = [callee.expression.text, callee.name.text];
  return (object === 'require' && method === 'resolve') || (object === 'jest' && MOCKING_CALLS.has(method));
}

/** `file: 'specifier' (resolves to path)` for each relative specifier of a file under `root` that leaves `root`. */
function importsLeaving(root: string, files: ReadonlyArray<{ path: string; text: string }>): string[] {
  return files.flatMap(({ path, text }) =>
    moduleSpecifiers(path, text)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ specifier, target: resolve(dirname(path), specifier) }))
      .filter(({ target }) => target !== root && !target.startsWith(root + sep))
      .map(({ specifier, target }) => `${relative(ROOT, path)}: '${specifier}' (resolves to ${relative(ROOT, target)})`),
  );
}

describe('the package layout', () => {
  it('no module under lib/ imports a relative path outside lib/', () => {
    const files = sourceFiles(LIB).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(100);
    expect(importsLeaving(LIB, files)).toEqual([]);
  });

  it('finds every kind of module reference that leaves lib/, and lets the ones inside pass', () => {
    const path = join(LIB, 'grafana', 'example.ts');
    const text = [
      "import { a } from '../../dashboards';",
      "import type { B } from '../../dora-exporter/config';",
      "export { c } from '../../gameday/index';",
      "import d = require('../../.gen/providers/grafana/folder');",
      "type E = import('../../scripts/build').E;",
      "const f = require('../../bench/stats');",
      "void import('../../main');",
      "jest.mock('../../__tests__/helpers/snapshot');",
      "require.resolve('../../config/platform.schema.json');",
      "import { ok } from '../shared/host-file';",
      "import { alsoOk } from './dashboard-checks';",
      "import { pkg } from 'cdktf';",
    ].join('\n');
    expect(importsLeaving(LIB, [{ path, text }]).map((line) => line.split("'")[1])).toEqual([
      '../../dashboards',
      '../../dora-exporter/config',
      '../../gameday/index',
      '../../.gen/providers/grafana/folder',
      '../../scripts/build',
      '../../bench/stats',
      '../../main',
      '../../__tests__/helpers/snapshot',
      '../../config/platform.schema.json',
    ]);
  });

  it('tsconfig.build.json compiles lib/ alone, into dist/lib/, where package.json points', () => {
    const build = ts.readConfigFile(join(ROOT, 'tsconfig.build.json'), (file) => ts.sys.readFile(file));
    expect(build.error).toBeUndefined();
    const { compilerOptions, include } = build.config as { compilerOptions: { rootDir?: string; outDir?: string }; include: string[] };
    expect({ rootDir: compilerOptions.rootDir, outDir: compilerOptions.outDir, include }).toEqual({
      rootDir: 'lib',
      outDir: 'dist/lib',
      include: ['lib/**/*.ts'],
    });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      main: string;
      types: string;
      exports: { '.': { types: string; default: string } };
    };
    expect([pkg.main, pkg.types, pkg.exports['.'].default, pkg.exports['.'].types]).toEqual([
      'dist/lib/index.js',
      'dist/lib/index.d.ts',
      './dist/lib/index.js',
      './dist/lib/index.d.ts',
    ]);
  });
});
