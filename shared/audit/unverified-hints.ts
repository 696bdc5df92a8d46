import { decodeJwt } from 'jose';
import type { ErrorCode } from '../errors/codes.js';
import type { AuditFields } from './audit-event.js';

// The refusals where "which tenant, which audience" is the question an
// auditor asks, and where no verified `tid` exists to answer it.
const foreignTokenCodes: ReadonlySet<ErrorCode> = new Set([
  'token_issuer_invalid',
  'token_tenant_not_allowed',
  'token_audience_invalid',
]);

// The claims are unverified and chosen by whoever made the token, so only
// short values of a plain character set are kept; anything else is dropped.
const plainClaim = /^[\w.:/@=+-]{1,200}$/;

/**
 * The tenant and audience a refused token claims, for the audit event of
 * an issuer, tenant or audience refusal, read from the request's
 * Authorization header. They are unverified and named so,
 * never used for a decision, and no other claim is kept.
 */
function unverifiedTokenHints(code: ErrorCode,
  authorization: string | undefined): AuditFields {
  const token = /^Bearer +(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (!token || !foreignTokenCodes.has(code)) return {};
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    return {};
  }
  const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
  return {
    ...(plainValue(claims.tid) ? { unverified_tid: String(claims.tid) } : {}),
    ...(plainValue(aud) ? { unverified_aud: String(aud) } : {}),
  };
}

function plainValue(value: unknown): boolean {
  return typeof value === 'string' && plainClaim.test(value);
}

export { unverifiedTokenHints };
