import { ApiError } from '../errors/api-error.js';

// RFC 6750 b64token: the characters a bearer token may contain.
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The bearer token from an Authorization header (headers already
 * lower-cased). Anything but exactly one Bearer credential is refused.
 */
function bearerToken(headers: Record<string, string | undefined>): string {
  const value = headers.authorization?.trim();
  if (!value || !/^bearer\b/i.test(value)) {
    throw new ApiError(
      'token_missing',
      'Send an Entra access token as "Authorization: Bearer <token>".',
    );
  }
  const match = bearer.exec(value);
  if (!match?.[1]) {
    throw new ApiError(
      'token_malformed',
      'The Authorization header must be "Bearer <token>" with one token.',
    );
  }
  return match[1];
}

export { bearerToken };
