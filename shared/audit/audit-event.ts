import { createHmac } from 'node:crypto';
import type { ErrorCode } from '../errors/codes.js';

/**
 * One audit event per request: flat, with fixed snake_case names, so that
 * CloudWatch Logs Insights finds every field without `parse`. It never
 * holds a token, a signature, a credential or a full claim set; a token is
 * identified by its keyed fingerprint.
 */
interface AuditEvent {
  /** `{route}.issued|listed`, `{route}.denied` (4xx) or `{route}.error`. */
  event: string;
  /** `ok`, or the error code the caller received. */
  reason_code: ErrorCode | 'ok';
  status: number;
  route: string;
  request_id: string;
  source_ip: string | undefined;
  user_agent: string | undefined;
  tid?: string;
  oid?: string;
  principal_type?: 'user' | 'app';
  display_name?: string;
  app_id?: string;
  token_version?: string;
  token_fingerprint?: string;
  target?: string;
  db_user?: string;
  role_arn?: string;
  session_name?: string;
  sts_request_id?: string;
  sts_error_code?: string;
  expires_at?: string;
  matched_rule?: string;
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
