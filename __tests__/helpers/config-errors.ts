import { PlatformConfigError } from '../../lib/config/errors';

/** The PlatformConfigError `run` throws; fails the test if it throws something else or nothing. */
export function configErrorOf(run: () => unknown): PlatformConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformConfigError) return error;
    throw error;
  }
  throw new Error('expected a PlatformConfigError, but the config was accepted');
}
