import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlatformConfig } from '../lib/config/loader';
import { Testing } from '../lib/framework';
import { renderAgentFiles } from '../lib/agent/agent-files';
import { ObservabilityPlatform } from '../lib/platform';
import { compilePlatform } from '../lib/model/compile';

/**
 * `node scripts/run-ts.cjs scripts/render-outputs.ts --out DIR`: everything the library produces for the configs a
 * refactoring must not change (the default, the distributed example and the two-services fixture): both synthesized
 * stacks, each host file as the config bucket receives it and each agent file, one file per output under
 * DIR/<config>/. scripts/compare-outputs.sh runs this at two revisions and diffs the trees, which is how a
 * refactoring shows its outputs stayed byte-identical. It uses only the construct, compilePlatform and
 * renderAgentFiles, which both revisions have.
 */
export const OUTPUT_CONFIGS = {
  default: 'config/platform.yaml',
  distributed: 'examples/distributed.yaml',
  'two-services': '__tests__/fixtures/two-services.yaml',
} as const;

function write(root: string, path: string, content: string): void {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'render-outputs' } } });
  const outDir = resolve(values.out);
  rmSync(outDir, { recursive: true, force: true });
  for (const [name, file] of Object.entries(OUTPUT_CONFIGS)) {
    const config = loadPlatformConfig(file);
    const root = join(outDir, name);
    // renderAgentFiles took the config before the model carried the agents, and takes the model since; this one
    // script renders both revisions, so it passes what the library beside it expects.
    const model = compilePlatform(config);
    const agentInput = 'agents' in model ? model : config;
    for (const agentFile of (renderAgentFiles as (input: unknown) => ReturnType<typeof renderAgentFiles>)(agentInput))
      write(root, join('agent', agentFile.path), `${agentFile.mode ?? ''}\n${agentFile.content}`);
    const app = Testing.app();
    const platform = new ObservabilityPlatform(app, 'platform', { config, configFile: file });
    app.synth();
    for (const stack of [platform.infra, platform.grafana]) {
      const synthesized = readFileSync(join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8');
      // the local backend's state path is absolute: the checkout it ran in is no output of the library
      write(root, join('stacks', `${stack.node.id}.tf.json`), synthesized.split(process.cwd()).join('<checkout>'));
      // the host files as uploaded (the Grafana URL is the Elastic IP's Terraform reference), one file each
      const { resource } = JSON.parse(synthesized) as { resource?: { aws_s3_object?: Record<string, { key: string; content?: unknown; metadata?: unknown }> } };
      for (const object of Object.values(resource?.aws_s3_object ?? {}))
        if (typeof object.content === 'string')
          write(root, join('bucket', stack.node.id, object.key), `${JSON.stringify(object.metadata ?? {})}\n${object.content}`);
    }
    rmSync(app.outdir, { recursive: true, force: true });
  }
  process.stdout.write(`wrote the outputs of ${Object.keys(OUTPUT_CONFIGS).join(', ')} into ${outDir}\n`);
}

main();
