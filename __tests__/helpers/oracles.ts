import { join } from 'node:path';

/** Where scripts/oracles.sh links the pinned Prometheus-family programs and the collector (see there). */
export const ORACLES_BIN = join(process.env.LGTM_ORACLES_DIR ?? '/var/cache/lgtm-oracles', 'bin');

/**
 * Absolute path of an oracle program, for scripts that run under a PATH of their own (e.g. the host's install
 * script in a test root). Everything else calls the programs by name: jest puts ORACLES_BIN first on PATH.
 */
export const oracle = (program: 'prometheus' | 'promtool' | 'alertmanager' | 'amtool' | 'node_exporter' | 'blackbox_exporter' | 'otelcol-lgtm') =>
  join(ORACLES_BIN, program);
