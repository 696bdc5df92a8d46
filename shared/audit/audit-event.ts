import { createHmac } from 'node:crypto';
import type { ErrorCode } from '../errors/codes.js';

/**
 * One audit event per request: flat, with fixed snake_case names, so that
 * CloudWatch Logs Insights finds every field without `parse`. It never
 * holds a token, a signature, a credential or a full claim set; a token is
 * identified by its keyed fingerprint.
 */
interface AuditEvent {
  /**
   * What happened: `{route}.issued` or `{route}.listed` on success,
   * `{route}.denied` when the caller was refused (4xx), `{route}.error`
   * when the API or an upstream failed (5xx).
   */
  event: string;
  /** `ok`, or the error code the caller received (docs/errors.md). */
  reason_code: ErrorCode | 'ok';
  /** The HTTP status of the answer. */
  status: number;
  /** `credential` (POST /v1/credentials) or `targets` (GET /v1/targets). */
  route: string;
  /** API Gateway's request id, also in the problem document. */
  request_id: string;
  /** The caller's address as API Gateway saw it. */
  source_ip: string | undefined;
  /** The caller's User-Agent header, as sent. */
  user_agent: string | undefined;
  /** The verified tenant id (`tid`); with `oid`, the caller's identity. */
  tid?: string;
  /** The verified object id (`oid`) of the user or service principal. */
  oid?: string;
  /** `user` for delegated tokens, `app` for app-only tokens. */
  principal_type?: 'user' | 'app';
  /** A display hint (UPN or name): mutable, never an identity. */
  display_name?: string;
  /** The client application the token was issued to (`azp`/`appid`). */
  app_id?: string;
  /** `1.0` or `2.0`, from the token's `ver` claim. */
  token_version?: string;
  /** A keyed HMAC of the bearer token: joins events, reveals nothing. */
  token_fingerprint?: string;
  /**
   * The tenant a refused token claims to come from, unverified: set only
   * when a token is refused for its issuer, tenant or audience.
   */
  unverified_tid?: string;
  /** The audience a refused token names, unverified, with `unverified_tid`. */
  unverified_aud?: string;
  /** The target requested (or granted). */
  target?: string;
  /** The database user requested, then the one granted. */
  db_user?: string;
  /** The IAM role the grant names. */
  role_arn?: string;
  /** The STS RoleSessionName built from the caller. */
  session_name?: string;
  /** STS's request id for AssumeRoleWithWebIdentity, for CloudTrail. */
  sts_request_id?: string;
  /**
   * `miss` when this request called STS, `hit` when it reused a session
   * kept from an earlier (or concurrent) request for the same caller and
   * grant; `sts_request_id` then names the call that made that session.
   */
  sts_cache?: 'hit' | 'miss';
  /** Broker mode: the `jti` of the web-identity token minted for STS. */
  web_identity_jti?: string;
  /** STS's error code when STS refused or failed. */
  sts_error_code?: string;
  /** When the issued database token stops working (ISO 8601). */
  expires_at?: string;
  /** The id of the mapping rule that granted the request. */
  matched_rule?: string;
  /** How long the request took inside the function, in milliseconds. */
  duration_ms: number;
}

/** The fields a request fills in as it goes; the rest are set at the end. */
type AuditFields = Partial<Omit<AuditEvent, 'event' | 'reason_code' |
  'status' | 'route' | 'duration_ms'>>;

/**
 * A keyed fingerprint of a token: the same token always maps to the same
 * value under one key, so events about one token can be joined, but the
 * value reveals nothing about the token without the key.
 */
function fingerprintToken(key: string, token: string): string {
  return createHmac('sha256', key).update(token).digest('base64url')
    .slice(0, 22);
}

export { fingerprintToken };
export type { AuditEvent, AuditFields };
