import type { ApiErrorReason, ApiObserver } from './github-client';
import { GitHubApiError } from './github-client';

/**
 * Why a repository's poll failed. `not_found`: the repository or workflow does not exist or the token cannot
 * see it (GitHub answers 404 for both); `unauthorized`: the token is missing, expired or revoked (401);
 * `forbidden`: a 403 that is not a rate limit (missing scope, SSO not authorised); `internal`: not a GitHub answer.
 */
export type PollErrorReason = Exclude<ApiErrorReason, 'client_error'> | 'not_found' | 'unauthorized' | 'forbidden' | 'client_error' | 'internal';

export function pollErrorReason(error: unknown): PollErrorReason {
  if (!(error instanceof GitHubApiError)) return 'internal';
  if (error.reason !== 'client_error') return error.reason;
  if (error.status === 404) return 'not_found';
  if (error.status === 401) return 'unauthorized';
  if (error.status === 403) return 'forbidden';
  return 'client_error';
}

/** The exporter's own health in this process, exposed next to the DORA metrics. */
export class ExporterHealth implements ApiObserver {
  readonly apiErrors: Record<ApiErrorReason, number> = { rate_limited: 0, server_error: 0, client_error: 0, network: 0 };
  readonly requests: Record<'ok' | 'not_modified' | 'error', number> = { ok: 0, not_modified: 0, error: 0 };
  readonly polls: Record<'success' | 'failure', number> = { success: 0, failure: 0 };
  /** Failed polls per repository and reason. */
  readonly repositoryErrors: Record<string, Partial<Record<PollErrorReason, number>>> = {};
  /** Whether the latest poll of each repository read all of it; unset until its first poll ends. */
  readonly repositoryPollOk: Record<string, boolean> = {};
  /** `x-ratelimit-remaining` of the latest response; unset until GitHub has answered. */
  remaining?: number;

  error(reason: ApiErrorReason): void {
    this.apiErrors[reason] += 1;
  }

  request(outcome: 'ok' | 'not_modified' | 'error'): void {
    this.requests[outcome] += 1;
  }

  rateLimitRemaining(remaining: number): void {
    this.remaining = remaining;
  }

  repositoryPolled(repo: string, failure?: PollErrorReason): void {
    this.repositoryPollOk[repo] = failure === undefined;
    if (failure === undefined) return;
    const errors = (this.repositoryErrors[repo] ??= {});
    errors[failure] = (errors[failure] ?? 0) + 1;
  }
}
