import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureInTurn, runMeasured, type ProcessSummary } from './measure';

/**
 * Item 1: `cdktf synth` of the default config, this project's way (deep provider imports, app bundled once and
 * run without type-checking) against the stock `cdktf init --template=typescript` way: the app in its own
 * folder with the template's cdktf.json (`npx ts-node main.ts`), `@cdktf/provider-aws` imported as a
 * namespace from the package root, type-checked by ts-node on every run. The stock app is generated into a
 * temporary folder from the same config and the same ObservabilityPlatform construct, so it cannot drift from
 * the project's own app and nothing of it is kept in the repository.
 */

export interface SynthComparison {
  readonly ours: ProcessSummary;
  readonly stock: ProcessSummary;
  /** stock median / ours median. */
  readonly timeRatio: number;
  readonly memoryRatio: number;
}

/** The files of the stock-pattern app, by name, for a project at `root` and a config file. */
export function initStyleAppFiles(root: string, configFile: string): Record<string, string> {
  const lib = (file: string) => JSON.stringify(join(root, 'lib', file));
  return {
    'main.ts': [
      '// Written by `npm run bench`: the platform as the stock `cdktf init --template=typescript` app writes it.',
      "import { App } from 'cdktf';",
      "import * as aws from '@cdktf/provider-aws';",
      `import { loadPlatformConfig } from ${lib('config/loader')};`,
      `import { ObservabilityPlatform } from ${lib('platform')};`,
      '',
      '// the template touches the namespace (new aws.provider.AwsProvider(...)), which loads every binding',
      'void Object.keys(aws).length;',
      'const app = new App();',
      `new ObservabilityPlatform(app, 'platform', { config: loadPlatformConfig(${JSON.stringify(configFile)}) });`,
      'app.synth();',
      '',
    ].join('\n'),
    'cdktf.json': `${JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts', projectId: 'bench-init-style', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} }, null, 2)}\n`,
    // the template's strict options, on top of the project's (its lib needs ES2022 and the SDK path mapping)
    'tsconfig.json': `${JSON.stringify(
      {
        extends: join(root, 'tsconfig.json'),
        compilerOptions: {
          incremental: false,
          noUnusedLocals: false,
          noImplicitAny: true,
          noImplicitThis: true,
          alwaysStrict: true,
          strictNullChecks: true,
          strictPropertyInitialization: true,
        },
        include: ['main.ts'],
        exclude: ['node_modules', 'cdktf.out'],
      },
      null,
      2,
    )}\n`,
  };
}

function cdktf(root: string): string {
  return join(root, 'node_modules', '.bin', 'cdktf');
}

/** Runs `cdktf synth` in `cwd` under GNU time, output to a scratch folder. */
export function measureCdktfSynth(root: string, cwd: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof runMeasured> {
  const out = mkdtempSync(join(tmpdir(), 'bench-synth-out-'));
  try {
    return runMeasured(cdktf(root), ['synth', '--output', out], { cwd, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function benchSynth(root: string, runs: number): SynthComparison {
  const configFile = join(root, 'config', 'platform.yaml');
  const stockDir = mkdtempSync(join(tmpdir(), 'bench-init-style-'));
  try {
    for (const [name, content] of Object.entries(initStyleAppFiles(root, configFile))) writeFileSync(join(stockDir, name), content);
    symlinkSync(join(root, 'node_modules'), join(stockDir, 'node_modules'), 'dir');
    mkdirSync(join(stockDir, 'cdktf.out'));
    const [ours, stock] = measureInTurn(runs, [() => measureCdktfSynth(root, root, { PLATFORM_CONFIG: configFile }), () => measureCdktfSynth(root, stockDir)]);
    return {
      ours,
      stock,
      timeRatio: stock.wallSeconds.median / ours.wallSeconds.median,
      memoryRatio: stock.peakRssMiB.median / ours.peakRssMiB.median,
    };
  } finally {
    rmSync(stockDir, { recursive: true, force: true });
  }
}
