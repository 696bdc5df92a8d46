import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiError } from '../errors/api-error.js';
import { describeError } from '../errors/codes.js';

const realm = 'aurora-aad';

/**
 * Renders an ApiError as an RFC 9457 problem document with the headers the
 * error calls for: `WWW-Authenticate` (RFC 6750) on every 401 and on
 * insufficient_scope, and `Retry-After` on 503.
 */
function problemResponse(
  error: ApiError,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  const { status, title, retryAfterSeconds } = describeError(error.code);
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    'cache-control': 'no-store',
  };

  const challenge = bearerChallenge(error);
  if (challenge) headers['www-authenticate'] = challenge;
  if (retryAfterSeconds) headers['retry-after'] = String(retryAfterSeconds);

  return {
    statusCode: status,
    headers,
    body: JSON.stringify({
      type: `urn:aurora-aad:error:${error.code}`,
      title,
      status,
      detail: error.detail,
      code: error.code,
      requestId,
      ...publicExtensions(error),
    }),
  };
}

// RFC 6750: no error code when no token was sent at all; invalid_token for
// a token that fails; insufficient_scope with the scope that is missing.
function bearerChallenge(error: ApiError): string | undefined {
  if (error.code === 'token_missing') return `Bearer realm="${realm}"`;
  if (describeError(error.code).status === 401) {
    return `Bearer realm="${realm}", error="invalid_token", ` +
      `error_description="${describeError(error.code).title}"`;
  }
  if (error.code === 'insufficient_scope') {
    return `Bearer realm="${realm}", error="insufficient_scope", ` +
      `scope="${String(error.extensions.requiredScope ?? '')}"`;
  }
  return undefined;
}

// Only the members a client can act on reach the response body.
function publicExtensions(error: ApiError): Record<string, unknown> {
  const { dbUsers, requiredScope } = error.extensions;
  return {
    ...(dbUsers ? { dbUsers } : {}),
    ...(requiredScope ? { requiredScope } : {}),
  };
}

export { problemResponse };
