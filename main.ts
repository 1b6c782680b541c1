import { loadPlatformConfig } from './lib/config/loader';
import { PlatformConfigError } from './lib/config/errors';
import { App } from './lib/framework';
import { ObservabilityPlatform } from './lib/platform';

/** The bundled app: `PLATFORM_CONFIG=path/to/platform.yaml cdktf synth`. */
function main(): void {
  const configFile = process.env.PLATFORM_CONFIG ?? 'config/platform.yaml';
  try {
    const config = loadPlatformConfig(configFile);
    const app = new App();
    new ObservabilityPlatform(app, 'platform', { config, configFile });
    app.synth();
  } catch (error) {
    if (error instanceof PlatformConfigError) process.stderr.write(`Invalid platform config: ${error.message}\n`);
    else if (error instanceof Error && !process.env.DEBUG) process.stderr.write(`Synth failed: ${error.message}\n`);
    else throw error;
    process.exit(1);
  }
}

main();
