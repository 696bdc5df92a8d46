import type { ErrorCode } from './codes.js';

/**
 * An error the API answers with. `code` is stable and documented; `detail`
 * is a sentence for a person that names the identifier involved and the
 * setting that fixes it. Neither may contain a token or a credential.
 */
class ApiError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  /** Extra members for the problem document, e.g. the dbUsers to choose. */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    detail: string,
    options: { cause?: unknown; extensions?: Record<string, unknown> } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
    this.extensions = options.extensions ?? {};
  }
}

export { ApiError };
