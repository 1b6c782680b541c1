import type { ApiErrorReason, ApiObserver } from './github-client';

/** The exporter's own health, exposed next to the DORA metrics. */
export class ExporterHealth implements ApiObserver {
  readonly apiErrors: Record<ApiErrorReason, number> = { rate_limited: 0, server_error: 0, client_error: 0, network: 0 };
  readonly requests: Record<'ok' | 'not_modified' | 'error', number> = { ok: 0, not_modified: 0, error: 0 };
  readonly polls: Record<'success' | 'failure', number> = { success: 0, failure: 0 };
  /** Epoch seconds of the last poll in which every repository was read. */
  lastSuccessfulPoll?: number;
  /** `x-ratelimit-remaining` of the latest response. */
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
}
