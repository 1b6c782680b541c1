import { delimiter } from 'node:path';
import { ORACLES_BIN } from './helpers/oracles';

// Every test that runs promtool, amtool, Prometheus, Alertmanager, the exporters or the collector runs the
// versions pinned in lib/host/artifacts.ts, which scripts/oracles.sh builds, never whatever else is on PATH.
process.env.PATH = [ORACLES_BIN, ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ORACLES_BIN)].join(delimiter);
