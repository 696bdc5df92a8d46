import type { AuditEvent } from './audit-event.js';

/**
 * Every field an audit event can carry, with its meaning, as data. The
 * `satisfies` clause ties it to the `AuditEvent` type: a field added to or
 * renamed in the type fails the build here until this list follows. The
 * tests check the saved Logs Insights queries and docs/audit.md against
 * this list, so a query naming a field no event carries fails too.
 */
const auditFields = {
  event: 'What happened: `{route}.issued|listed`, `{route}.denied` (4xx) ' +
    'or `{route}.error` (5xx).',
  reason_code: '`ok`, or the error code the caller received.',
  status: 'The HTTP status of the answer.',
  route: '`credential` (POST /v1/credentials) or `targets` ' +
    '(GET /v1/targets).',
  request_id: 'API Gateway\'s request id, also in the problem document.',
  source_ip: 'The caller\'s address as API Gateway saw it.',
  user_agent: 'The caller\'s User-Agent header.',
  tid: 'The verified tenant id; with `oid`, the caller\'s identity.',
  oid: 'The verified object id of the user or service principal.',
  principal_type: '`user` (delegated token) or `app` (app-only token).',
  display_name: 'A display hint (UPN or name); mutable, never an identity.',
  app_id: 'The client application the token was issued to.',
  token_version: '`1.0` or `2.0`, from the token\'s `ver` claim.',
  token_fingerprint: 'A keyed HMAC of the bearer token; joins events about ' +
    'one token and reveals nothing about it.',
  unverified_tid: 'The tenant a refused token claims, unverified; only on ' +
    'issuer, tenant and audience refusals.',
  unverified_aud: 'The audience a refused token names, unverified; only on ' +
    'issuer, tenant and audience refusals.',
  target: 'The target requested, then the one granted.',
  db_user: 'The database user requested, then the one granted.',
  role_arn: 'The IAM role the matched grant names.',
  session_name: 'The STS RoleSessionName built from the caller.',
  sts_request_id: 'STS\'s request id for the AssumeRoleWithWebIdentity ' +
    'call, to find the session in CloudTrail.',
  sts_error_code: 'STS\'s error code when STS refused or failed.',
  sts_cache: '`miss` when the request called STS, `hit` when it reused a ' +
    'session kept for the same caller and grant (`sts_request_id` then ' +
    'names the call that made it).',
  web_identity_jti: 'Broker mode: the jti of the web-identity token the ' +
    'broker minted for STS (the token itself is never logged).',
  expires_at: 'When the issued database token stops working (ISO 8601).',
  matched_rule: 'The id of the mapping rule that granted the request.',
  duration_ms: 'Time spent in the function, in milliseconds.',
} as const satisfies Record<keyof AuditEvent, string>;

type AuditFieldName = keyof typeof auditFields;

/** The field names, in the order docs/audit.md lists them. */
const auditFieldNames = Object.keys(auditFields) as AuditFieldName[];

export { auditFields, auditFieldNames };
export type { AuditFieldName };
