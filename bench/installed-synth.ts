import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureInTurn, type ProcessSummary } from './measure';
import { measureCdktfSynth } from './synth';

/**
 * Item 1b: `cdktf synth` of the default config through the library as a user gets it: packed, installed with
 * scripts disabled into the cdktf-init-style consumer app (scripts/consumer-install.sh, the same install the
 * consumer contract judges), so the code that runs is the compiled dist/ of the tarball, not the bundled app.
 * Two consumers of that install, in turn with the bundled app so that all three see the same machine:
 * a plain-node app (`node main.js`, the library's own cost) and the consumer fixture's own ts-node app
 * (`npx ts-node main.ts`, what a `cdktf init --template=typescript` user runs, type-checked on every synth).
 */

export interface InstalledSynthComparison {
  /** The project's bundled app, as in item 1. */
  readonly bundled: ProcessSummary;
  readonly installedNode: ProcessSummary;
  readonly installedTsNode: ProcessSummary;
  /** installedNode median / bundled median: above 1, the installed package synthesizes slower than the repository does. */
  readonly nodeTimeRatio: number;
  readonly nodeMemoryRatio: number;
}

/** The consumer fixture's files that make up its ts-node app (its tests, jest setup and own config stay out). */
export const CONSUMER_APP_FILES = ['cdktf.json', 'main.ts', 'observability.ts', 'package.json', 'tsconfig.json'] as const;

/** The consumer fixture's ts-node app, by file name, synthesizing `configFile` (the fixture reads platform.yaml). */
export function consumerTsNodeAppFiles(fixtureDir: string, configFile: string): Record<string, string> {
  const files: Record<string, string> = Object.fromEntries(CONSUMER_APP_FILES.map((name) => [name, readFileSync(join(fixtureDir, name), 'utf8')]));
  files['platform.yaml'] = readFileSync(configFile, 'utf8');
  return files;
}

/** A plain-node consumer of the installed package, by file name, synthesizing `configFile`. */
export function plainNodeAppFiles(configFile: string): Record<string, string> {
  return {
    'main.js': [
      '// Written by `npm run bench`: a consumer of the installed lgtm-platform package without TypeScript.',
      "const { App } = require('cdktf');",
      "const { ObservabilityPlatform, loadPlatformConfig } = require('lgtm-platform');",
      '',
      'const app = new App();',
      "new ObservabilityPlatform(app, 'platform', { config: loadPlatformConfig('platform.yaml'), configFile: 'platform.yaml' });",
      'app.synth();',
      '',
    ].join('\n'),
    'cdktf.json': `${JSON.stringify({ language: 'typescript', app: 'node main.js', projectId: 'bench-installed-node', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2)}\n`,
    'platform.yaml': readFileSync(configFile, 'utf8'),
  };
}

/** The installed app's folder from scripts/consumer-install.sh's stdout, which holds it as the only line. */
export function installedAppDir(stdout: string): string {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length !== 1 || !lines[0].startsWith('/')) throw new Error(`scripts/consumer-install.sh should print the app's folder alone, printed:\n${stdout}`);
  return lines[0];
}

/** Builds, packs and installs the library into the consumer app (npm's output to our stderr); its folder. */
export function installConsumerApp(root: string): string {
  const stdout = execFileSync('bash', [join(root, 'scripts', 'consumer-install.sh')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 900_000,
  });
  return installedAppDir(stdout);
}

/** A scratch app folder holding `files` and the installed app's node_modules (so its own cdktf CLI runs). */
function scratchApp(prefix: string, files: Record<string, string>, installedApp: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  symlinkSync(join(installedApp, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'cdktf.out'));
  return dir;
}

export function benchInstalledSynth(root: string, runs: number): InstalledSynthComparison {
  const configFile = join(root, 'config', 'platform.yaml');
  const installedApp = installConsumerApp(root);
  const nodeDir = scratchApp('bench-installed-node-', plainNodeAppFiles(configFile), installedApp);
  const tsNodeDir = scratchApp('bench-installed-ts-node-', consumerTsNodeAppFiles(join(root, '__tests__', 'consumer', 'app'), configFile), installedApp);
  try {
    const [bundled, installedNode, installedTsNode] = measureInTurn(runs, [
      () => measureCdktfSynth(root, root, { PLATFORM_CONFIG: configFile }),
      // each scratch app is its own root: the consumer's cdktf CLI, not the repository's, runs its synth
      () => measureCdktfSynth(nodeDir, nodeDir),
      () => measureCdktfSynth(tsNodeDir, tsNodeDir),
    ]);
    return {
      bundled,
      installedNode,
      installedTsNode,
      nodeTimeRatio: installedNode.wallSeconds.median / bundled.wallSeconds.median,
      nodeMemoryRatio: installedNode.peakRssMiB.median / bundled.peakRssMiB.median,
    };
  } finally {
    rmSync(nodeDir, { recursive: true, force: true });
    rmSync(tsNodeDir, { recursive: true, force: true });
  }
}
