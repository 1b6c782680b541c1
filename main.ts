import { existsSync, rmSync } from 'node:fs';
import { loadPlatformConfig } from './lib/config/loader';
import { PlatformConfigError, PlatformInternalError } from './lib/config/errors';
import { App } from './lib/framework';
import { ObservabilityPlatform } from './lib/platform';
import { PolicyViolationError } from './lib/policy/engine';

/** The bundled app: `PLATFORM_CONFIG=path/to/platform.yaml cdktf synth`. */
function main(): void {
  const configFile = process.env.PLATFORM_CONFIG ?? 'config/platform.yaml';
  const outdir = process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const outdirExisted = existsSync(outdir);
  try {
    const config = loadPlatformConfig(configFile);
    const app = new App();
    new ObservabilityPlatform(app, 'platform', { config, configFile });
    app.synth();
  } catch (error) {
    // The App creates its output folder up front; a failed synth leaves nothing behind that it created.
    if (!outdirExisted) rmSync(outdir, { recursive: true, force: true });
    if (error instanceof PlatformConfigError) process.stderr.write(`Invalid platform config: ${error.message}\n`);
    else if (error instanceof PolicyViolationError || error instanceof PlatformInternalError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof Error && !process.env.DEBUG) process.stderr.write(`Synth failed: ${error.message}\n`);
    else throw error;
    process.exit(1);
  }
}

main();
