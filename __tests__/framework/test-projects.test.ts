import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/*
 * The unit/live split of jest.config.js is mechanical: a test file is live exactly when it starts a daemon (a
 * program left running while the test talks to it), and then its name ends in `-live.test.ts`. Starting one means
 * calling child_process's asynchronous starters itself (spawn, execFile, fork), using bench/processes' daemon and
 * port helpers (startDaemon, freePort, reservePort, announcedPort, waitForHttp; re-exported or not), or a `start*`
 * function of a test helper that uses them (startPrometheus of __tests__/alerting/live-stack.ts). Commands run to
 * their end within one call (spawnSync of promtool or shellcheck, a helper that awaits a script's exit) and
 * in-process servers (a fake Slack, GitHub or artifact mirror) are unit.
 */
const ROOT = join(__dirname, '../..');
const TESTS = join(ROOT, '__tests__');
// jest's own glob matcher (a dependency of jest), so testMatch is read exactly as jest reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- micromatch ships no types
const micromatch = require('micromatch') as { isMatch(path: string, patterns: readonly string[]): boolean };
const DAEMON_HELPERS = new Set(['startDaemon', 'freePort', 'reservePort', 'announcedPort', 'waitForHttp']);

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
const withoutStrings = (code: string) => code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");

/** The names each `import { ... } from '...'` / `export { ... } from '...'` statement brings in, by module. */
function namedImports(code: string): Array<{ names: string[]; from: string }> {
  return [...code.matchAll(/^(?:import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/gm)]
    .filter((match) => !match[1])
    .map((match) => ({
      from: match[3],
      names: match[2]
        .split(',')
        .map((raw) => raw.trim().replace(/\s+as\s+\w+$/, ''))
        .filter((name) => name && !name.startsWith('type ')),
    }));
}

/** Whether the test helper `from` (relative to `dir`) uses the daemon helpers, so its `start*` functions start daemons. */
function isDaemonHelper(dir: string, from: string, readModule: (path: string) => string | undefined): boolean {
  if (!from.startsWith('.')) return false;
  const source = readModule(join(dir, `${from}.ts`));
  return source !== undefined && namedImports(withoutComments(source)).some((statement) => statement.names.some((name) => DAEMON_HELPERS.has(name)));
}

/** Why the test `source` in `dir` is live (empty when it is a unit test): each daemon-starting call or import. */
export function liveSigns(source: string, dir = TESTS, readModule: (path: string) => string | undefined = readModuleFile): string[] {
  const code = withoutComments(source);
  const signs: string[] = [];
  for (const match of withoutStrings(code).matchAll(/(?<![.\w])(spawn|execFile|fork)\(/g)) signs.push(`calls ${match[1]}()`);
  for (const { names, from } of namedImports(code))
    for (const name of names)
      if (DAEMON_HELPERS.has(name) || (/^start[A-Z]/.test(name) && isDaemonHelper(dir, from, readModule))) signs.push(`imports ${name} from ${from}`);
  return [...new Set(signs)];
}

function readModuleFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || path === join(TESTS, 'consumer', 'app') ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The files of the jest project `name`, by the project's own testMatch and testPathIgnorePatterns. */
function projectFiles(name: string, files: readonly string[]): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest's config is CommonJS
  const config = require(join(ROOT, 'jest.config.js')) as { projects: Array<{ displayName: string; testMatch: string[]; testPathIgnorePatterns: string[] }> };
  const project = config.projects.find((p) => p.displayName === name);
  if (!project) throw new Error(`jest.config.js has no project ${name}`);
  const ignored = project.testPathIgnorePatterns.map((pattern) => new RegExp(pattern.replace('<rootDir>', ROOT)));
  return files.filter((file) => micromatch.isMatch(file, project.testMatch) && !ignored.some((pattern) => pattern.test(file)));
}

describe('GIVEN the classifier of test files', () => {
  it('THEN asynchronous children and daemon helpers are live; one-shot checks, in-process servers and pure helpers are not', () => {
    const helpers: Record<string, string> = {
      [join(TESTS, 'alerting/live-stack.ts')]: "import { freePort, startDaemon } from './support';\nexport function renderedRuleFile() {}",
      [join(TESTS, 'host/helpers/artifact-server.ts')]: "import { spawn } from 'node:child_process';\nexport async function startTestServer() {}",
    };
    const signsOf = (source: string) => liveSigns(source, join(TESTS, 'gameday'), (path) => helpers[path]);
    expect(signsOf("import { spawn } from 'node:child_process';\nconst child = spawn('prometheus', []);")).toEqual(['calls spawn()']);
    expect(signsOf("import { startPrometheus } from '../alerting/live-stack';")).toEqual(['imports startPrometheus from ../alerting/live-stack']);
    expect(signsOf("import { freePort, waitFor } from '../../bench/processes';")).toEqual(['imports freePort from ../../bench/processes']);
    expect(signsOf("import { spawnSync } from 'node:child_process';\nspawnSync('promtool', ['check', 'rules']);")).toEqual([]);
    expect(signsOf("import { renderedRuleFile } from '../alerting/live-stack';\nimport { type Daemon, waitFor } from '../../bench/processes';")).toEqual([]);
    expect(signsOf("import { startTestServer } from '../host/helpers/artifact-server';")).toEqual([]);
    expect(signsOf("// spawn(a daemon) is not done here\n/* startDaemon( */ const x = child.spawn;\nconst y = 'spawn(';")).toEqual([]);
  });
});

describe('GIVEN every test file of the repository (the host in a box aside: its own config)', () => {
  const files = testFiles(TESTS).filter((file) => !file.includes('/__tests__/hostbox/'));

  it('THEN a file starts a program exactly when its name ends in -live.test.ts', () => {
    const mislabelled = files.flatMap((file) => {
      const signs = liveSigns(readFileSync(file, 'utf8'), dirname(file));
      const named = file.endsWith('-live.test.ts');
      if (signs.length > 0 && !named) return [`${relative(ROOT, file)} starts programs (${signs.join('; ')}) but is not named *-live.test.ts`];
      if (signs.length === 0 && named) return [`${relative(ROOT, file)} is named *-live.test.ts but starts no program`];
      return [];
    });
    expect(mislabelled).toEqual([]);
  });

  it('THEN jest.config.js runs each file in exactly one project: the live ones in live, the rest in unit', () => {
    const unit = projectFiles('unit', files);
    const live = projectFiles('live', files);
    expect(live.sort()).toEqual(files.filter((file) => file.endsWith('-live.test.ts')).sort());
    expect(unit.sort()).toEqual(files.filter((file) => !file.endsWith('-live.test.ts')).sort());
    expect(live.length).toBeGreaterThan(5);
  });
});
