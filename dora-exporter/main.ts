import { readFileSync } from 'node:fs';
import { parseExporterConfig } from '../lib/dora/exporter/config';
import { DoraExporter } from '../lib/dora/exporter/exporter';
import { createMetricsServer, listen } from './server';

/** `node dora-exporter.js --config /etc/dora-exporter/config.json` */
export async function main(argv: readonly string[]): Promise<void> {
  const index = argv.indexOf('--config');
  const file = index >= 0 ? argv[index + 1] : undefined;
  if (!file) throw new Error('usage: dora-exporter --config FILE');
  const config = parseExporterConfig(JSON.parse(readFileSync(file, 'utf8')));
  const exporter = new DoraExporter(config);
  const server = createMetricsServer(exporter.registry);
  const port = await listen(server, config.listen.host, config.listen.port);
  console.error(`dora-exporter: listening on ${config.listen.host}:${port}, polling every ${config.pollIntervalSeconds}s`);
  exporter.start();
  const shutdown = (signal: string) => {
    console.error(`dora-exporter: ${signal}, stopping`);
    server.close();
    void exporter.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(`dora-exporter: ${error.message}`);
    process.exit(1);
  });
}
