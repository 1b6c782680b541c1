import { join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import type { HostContext } from '../../lib/shared/host-file';
import { PROMTOOL_CONTEXT, runPromtoolTests as runPromtool, type PromtoolResult, type PromtoolTestCase } from '../../lib/gameday/promtool';

/** Test fixtures around lib/gameday/promtool.ts, where the promtool harness itself lives. */
export const CONTEXT: HostContext = PROMTOOL_CONTEXT;
export const DEFAULT_CONFIG: PlatformConfig = loadPlatformConfig(join(__dirname, '..', '..', 'config', 'platform.yaml'));

/** lib/gameday/promtool's runPromtoolTests with the default config unless another is given. */
export function runPromtoolTests(
  tests: PromtoolTestCase[],
  options: { config?: PlatformConfig; keepAnnotations?: boolean; evaluationInterval?: string } = {},
): PromtoolResult {
  return runPromtool(tests, { ...options, config: options.config ?? DEFAULT_CONFIG, context: CONTEXT });
}
