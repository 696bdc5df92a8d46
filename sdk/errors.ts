/**
 * The SDK's errors. Every one carries a stable `code`: the API's own error
 * code when the API refused (see openapi.yaml's ErrorCode and
 * docs/errors.md), or one of the SDK's codes when the request never got an
 * answer or the caller's Entra token could not be had.
 */
import type { components } from './api-types.js';

/** A code from the API's fixed list. */
type ApiErrorCode = components['schemas']['ErrorCode'];

/** The API's RFC 9457 problem document. */
type Problem = components['schemas']['Problem'];

/** Codes the SDK raises itself, before or instead of an API answer. */
type ClientErrorCode =
  | 'entra_token_unavailable'
  | 'api_unreachable'
  | 'api_response_invalid'
  | 'rds_ca_missing'
  | 'engine_mismatch'
  | 'client_missing';

/** Base of every SDK error: a stable `code` and the `cause` it wraps. */
class AuroraAadError extends Error {
  override readonly name: string = 'AuroraAadError';

  constructor(
    readonly code: ApiErrorCode | ClientErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The API answered with a problem document. `status`, `requestId` and
 * `retryAfterSeconds` (on 503) are what a caller needs to decide whether to
 * retry and what to quote to the platform team.
 */
class ApiProblemError extends AuroraAadError {
  override readonly name = 'ApiProblemError';
  override readonly code: ApiErrorCode;
  readonly status: number;
  readonly requestId: string;
  readonly detail: string;
  readonly problem: Problem;
  readonly retryAfterSeconds: number | undefined;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(problem.code, `${problem.code}: ${problem.detail}`);
    this.code = problem.code;
    this.status = problem.status;
    this.requestId = problem.requestId;
    this.detail = problem.detail;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The caller's Entra token could not be had from its token source. */
class TokenSourceError extends AuroraAadError {
  override readonly name = 'TokenSourceError';

  constructor(message: string, options?: { cause?: unknown }) {
    super('entra_token_unavailable', message, options);
  }
}

export { ApiProblemError, AuroraAadError, TokenSourceError };
export type { ApiErrorCode, ClientErrorCode, Problem };
