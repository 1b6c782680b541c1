import { delimiter } from 'node:path';
import { ORACLES_BIN } from './helpers/oracles';

/**
 * jest's globalSetup: every test that runs promtool, amtool, Prometheus, Alertmanager, the exporters or the
 * collector runs the versions pinned in lib/host/artifacts.ts, which scripts/oracles.sh builds, never whatever
 * else is on PATH. It runs in jest's own process, before the workers start, so they and every program they
 * spawn inherit this PATH (a setupFile could only change the test sandbox's copy of the environment).
 */
export default function putOraclesFirstOnPath(): void {
  process.env.PATH = [ORACLES_BIN, ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ORACLES_BIN)].join(delimiter);
}
