import { checkPlatform } from '../checks/check-platform';
import type { PlatformConfig } from '../config/schema';
import { compilePlatform, type CompileOptions, type PlatformModel } from './compile';

/** What a construct is built from: the compiled model, or a validated description it compiles itself. */
export type PlatformSource = { readonly model: PlatformModel } | { readonly config: PlatformConfig };

/**
 * The model of a construct's props: the one given (already checked by whoever compiled it, as
 * ObservabilityPlatform does), else the props' config compiled with `options` and cross-checked here (with the shipped
 * runbooks), so a stack built alone from a config refuses the mistakes the platform construct refuses, all at once.
 */
export function modelOf(source: PlatformSource, options: CompileOptions = {}): PlatformModel {
  if ('model' in source) return source.model;
  const model = compilePlatform(source.config, options);
  checkPlatform(model);
  return model;
}
