import { compactVerify, decodeJwt, decodeProtectedHeader, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { ApiError } from '../errors/api-error.js';
import type { Caller } from './caller.js';
import { checkEntraClaims, tenantNotAllowed } from './entra-claims.js';
import type { ClaimRules } from './entra-claims.js';
import type { TenantKeySets } from './key-sets.js';

interface VerifyOptions extends ClaimRules {
  keySets: TenantKeySets;
}

// Entra access tokens run to a few kilobytes; anything far larger is not one.
const maxTokenLength = 16_384;

/**
 * Verifies a Microsoft Entra ID access token and returns the caller.
 *
 * Before any key is fetched, the token must be a JWT signed with RS256 that
 * names an allow-listed tenant; only then is its signature checked against
 * that tenant's published keys, and only then are its claims trusted.
 *
 * @throws ApiError with a token_* code (401), insufficient_scope (403) or
 *   jwks_unavailable (503).
 */
async function verifyEntraToken(
  token: string,
  options: VerifyOptions,
): Promise<Caller> {
  const unverified = readUnverified(token);
  const keys = keysFor(unverified.tenantId, options);

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, keys, { algorithms: ['RS256'] }));
  } catch (error) {
    throw signatureError(error);
  }

  return checkEntraClaims(parseClaims(payload), options);
}

// Reads only what is needed to pick the key set; nothing read here is
// trusted until the signature has verified.
function readUnverified(token: string) {
  if (token.length > maxTokenLength) {
    throw new ApiError('token_malformed', 'The bearer token is too long.');
  }
  if (!isCanonicalCompactJws(token)) {
    throw new ApiError('token_malformed',
      'The bearer token is not a compact JWS in canonical base64url.');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch (error) {
    throw new ApiError(
      'token_malformed',
      'The bearer token is not a signed JWT.',
      { cause: error },
    );
  }

  if (header.alg !== 'RS256') {
    throw new ApiError(
      'token_algorithm_not_allowed',
      'The token must be signed with RS256; other algorithms, including ' +
        '"none" and HMAC, are refused.',
    );
  }
  if (typeof header.kid !== 'string' || header.kid === '') {
    throw new ApiError('token_key_unknown',
      'The token names no signing key (kid); Entra access tokens always do.');
  }
  if ('nonce' in header) {
    throw new ApiError(
      'token_audience_invalid',
      'The token carries a nonce header, as Microsoft Graph tokens do: it ' +
        'was issued for another resource.',
    );
  }
  return { tenantId: typeof claims.tid === 'string' ? claims.tid : '' };
}

// One spelling per token: no padding, and every segment re-encodes to
// itself (base64url decoders ignore a last character's spare bits). Other
// spellings of a valid token would verify too, yet fingerprint differently
// in the audit log.
function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split('.');
  return segments.length === 3 && segments.every((segment) =>
    /^[A-Za-z0-9_-]*$/.test(segment) &&
    Buffer.from(segment, 'base64url').toString('base64url') === segment);
}

function keysFor(tenantId: string, options: VerifyOptions): JWTVerifyGetKey {
  if (!options.tenants.includes(tenantId)) throw tenantNotAllowed();
  const keys = options.keySets.forTenant(tenantId);
  return async (header, input) => {
    try {
      return await keys(header, input);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys) {
        throw new ApiError(
          'token_key_unknown',
          'The token names a signing key the tenant does not publish.',
          { cause: error },
        );
      }
      throw new ApiError(
        'jwks_unavailable',
        `The signing keys of tenant ${tenantId} could not be fetched ` +
          '(ENTRA_AUTHORITY_HOST).',
        { cause: error },
      );
    }
  };
}

function signatureError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new ApiError(
      'token_signature_invalid',
      'The token signature does not verify with the tenant\'s keys.',
      { cause: error },
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new ApiError(
      'token_algorithm_not_allowed',
      'The token must be signed with RS256.',
      { cause: error },
    );
  }
  return new ApiError(
    'token_malformed',
    'The bearer token is not a valid signed JWT.',
    { cause: error },
  );
}

function parseClaims(payload: Uint8Array): Record<string, unknown> {
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof claims === 'object' && claims !== null && !Array.isArray(claims)) {
      return claims as Record<string, unknown>;
    }
  } catch {
    // Falls through to the refusal below: the payload is not JSON.
  }
  throw new ApiError('token_malformed', 'The token payload is not a JSON object.');
}

export { verifyEntraToken };
export type { VerifyOptions };
