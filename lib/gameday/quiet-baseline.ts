import type { PlatformConfig } from '../config/schema';
import { quietExcept, type Scenario } from './scenario';
import { worldSeries } from './world';

/** Minutes of the healthy run: long enough for every window up to the slow tiers' 6h short window. */
export const QUIET_MINUTES = 370;

/** Quiet baseline: everything healthy; no alert of the catalog fires. */
export function quietBaselineScenario(config: PlatformConfig): Scenario {
  return {
    name: 'quiet-baseline',
    family: 'quiet-baseline',
    broken: 'nothing: every service, probe, host resource and platform component is healthy',
    minutes: QUIET_MINUTES,
    input: worldSeries(config, QUIET_MINUTES),
    mustFire: [],
    mustResolve: [],
    mustStayQuiet: quietExcept(),
  };
}
