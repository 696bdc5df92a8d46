/**
 * Every error the API can answer with, in one list. The HTTP status of a
 * response is decided here and nowhere else; docs/errors.md and openapi.yaml
 * describe the same list, and test/unit/error-codes.test.ts keeps them in
 * step.
 */
const errorCodes = {
  // The request itself.
  request_body_invalid: { status: 400, title: 'The request body is invalid.' },
  request_too_large: { status: 413, title: 'The request body is too large.' },
  unsupported_media_type: {
    status: 415,
    title: 'The request body must be application/json.',
  },
  db_user_required: {
    status: 400,
    title: 'Several database users are granted; name one in dbUser.',
  },

  // The bearer token (401, RFC 6750 invalid_token).
  token_missing: { status: 401, title: 'No bearer token was presented.' },
  token_malformed: { status: 401, title: 'The bearer token is not a JWT.' },
  token_algorithm_not_allowed: {
    status: 401,
    title: 'The token is not signed with RS256.',
  },
  token_key_unknown: {
    status: 401,
    title: 'The token is signed with a key the tenant does not publish.',
  },
  token_signature_invalid: {
    status: 401,
    title: 'The token signature does not verify.',
  },
  token_issuer_invalid: {
    status: 401,
    title: 'The token was not issued by Microsoft Entra ID.',
  },
  token_tenant_not_allowed: {
    status: 401,
    title: 'The token belongs to a tenant this API does not trust.',
  },
  token_audience_invalid: {
    status: 401,
    title: 'The token was issued for another resource.',
  },
  token_expired: { status: 401, title: 'The token has expired.' },
  token_not_yet_valid: { status: 401, title: 'The token is not valid yet.' },
  token_kind_not_accepted: {
    status: 401,
    title: 'Only access tokens are accepted.',
  },

  // Who the caller is and what the mapping grants (403).
  insufficient_scope: {
    status: 403,
    title: 'The token lacks the scope or app role this API requires.',
  },
  groups_overage: {
    status: 403,
    title: 'The token carries a group overage marker instead of groups.',
  },
  no_grant: {
    status: 403,
    title: 'No rule grants the caller this target and database user.',
  },

  // Upstreams refusing because of configuration (502).
  sts_access_denied: {
    status: 502,
    title: 'STS refused to assume the granted role.',
  },
  sts_token_rejected: {
    status: 502,
    title: 'STS rejected the web identity token.',
  },
  sts_policy_rejected: {
    status: 502,
    title: 'STS rejected the session policy.',
  },

  // Upstreams down or throttling (503, with Retry-After).
  jwks_unavailable: {
    status: 503,
    title: 'The tenant signing keys could not be fetched.',
    retryAfterSeconds: 5,
  },
  broker_key_unavailable: {
    status: 503,
    title: 'The broker signing key could not be used.',
    retryAfterSeconds: 2,
  },
  sts_unavailable: {
    status: 503,
    title: 'STS is unavailable or throttling.',
    retryAfterSeconds: 2,
  },

  not_found: {
    status: 404,
    title: 'No such resource.',
  },

  internal_error: { status: 500, title: 'An unexpected error occurred.' },
} as const satisfies Record<
  string,
  { status: number; title: string; retryAfterSeconds?: number }
>;

type ErrorCode = keyof typeof errorCodes;

/** The status, title and retry hint for `code`. */
function describeError(code: ErrorCode): {
  status: number;
  title: string;
  retryAfterSeconds?: number;
} {
  return errorCodes[code];
}

export { errorCodes, describeError };
export type { ErrorCode };
