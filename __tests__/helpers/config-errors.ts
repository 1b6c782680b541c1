import { PlatformConfigError, PlatformInternalError } from '../../lib/config/errors';

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

/** The PlatformInternalError `run` throws (the library contradicting itself); fails the test if it throws something else or nothing. */
export function internalErrorOf(run: () => unknown): PlatformInternalError {
  try {
    run();
  } catch (error) {
    if (error instanceof PlatformInternalError) return error;
    throw error;
  }
  throw new Error('expected a PlatformInternalError, but nothing was thrown');
}
