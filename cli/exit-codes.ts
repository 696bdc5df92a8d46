/**
 * The CLI's exit codes and what it prints when something fails: the error's
 * code, what happened, and one line saying what to do next. Every API error
 * code of openapi.yaml has its line here; a code added to the spec fails the
 * type check until it gets one.
 */
import type { ApiErrorCode } from '../sdk/errors.js';
import { ApiProblemError, AuroraAadError } from '../sdk/errors.js';

/** Documented in docs/cli.md; psql and mysql pass their own code through. */
const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  signInNeeded: 3,
  refused: 4,
  badRequest: 5,
  unavailable: 6,
  serverSide: 7,
  localSetup: 8,
} as const;

/** A wrong command line; exits 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

const SIGN_IN = 'Sign in again with `aurora-aad login` (add --local for the local stack).';

const API_CODES: Record<ApiErrorCode, { exit: number; next: string }> = {
  request_body_invalid: { exit: EXIT.badRequest, next: 'Check the target and --db-user spelling; `aurora-aad targets` lists them.' },
  request_too_large: { exit: EXIT.badRequest, next: 'Shorten the request; target and user names are at most 63 characters.' },
  unsupported_media_type: { exit: EXIT.badRequest, next: 'Update the CLI; it sent a body the API does not accept.' },
  db_user_required: { exit: EXIT.badRequest, next: 'Name the user with --db-user; `aurora-aad targets` lists yours.' },
  token_missing: { exit: EXIT.signInNeeded, next: SIGN_IN },
  token_malformed: { exit: EXIT.signInNeeded, next: SIGN_IN },
  token_algorithm_not_allowed: { exit: EXIT.signInNeeded, next: SIGN_IN },
  token_key_unknown: { exit: EXIT.signInNeeded, next: `The token's signing key is unknown. ${SIGN_IN}` },
  token_signature_invalid: { exit: EXIT.signInNeeded, next: SIGN_IN },
  token_issuer_invalid: { exit: EXIT.signInNeeded, next: 'Sign in to the tenant the API trusts: `aurora-aad login --tenant <id>`.' },
  token_tenant_not_allowed: { exit: EXIT.signInNeeded, next: 'Sign in to the tenant the API trusts: `aurora-aad login --tenant <id>`.' },
  token_audience_invalid: { exit: EXIT.signInNeeded, next: 'The token is for another API; check --scope (AURORA_AAD_SCOPE) and sign in again.' },
  token_expired: { exit: EXIT.signInNeeded, next: SIGN_IN },
  token_not_yet_valid: { exit: EXIT.signInNeeded, next: 'Check this machine\'s clock, then sign in again.' },
  token_kind_not_accepted: { exit: EXIT.signInNeeded, next: 'Use an access token for the API, not an ID token; sign in with `aurora-aad login`.' },
  insufficient_scope: { exit: EXIT.refused, next: 'Ask for the API\'s scope (--scope) or ask an admin to consent to it, then sign in again.' },
  groups_overage: { exit: EXIT.refused, next: 'You are in too many groups for a token; ask the platform team for a rule by object id or app role.' },
  no_grant: { exit: EXIT.refused, next: 'You have no grant for this target; ask the platform team, quoting the request id.' },
  sts_access_denied: { exit: EXIT.serverSide, next: 'The role\'s trust policy refused; tell the platform team, quoting the request id.' },
  sts_token_rejected: { exit: EXIT.serverSide, next: 'AWS did not accept the identity provider; tell the platform team, quoting the request id.' },
  sts_policy_rejected: { exit: EXIT.serverSide, next: 'AWS refused the session policy; tell the platform team, quoting the request id.' },
  jwks_unavailable: { exit: EXIT.unavailable, next: 'Entra\'s keys could not be fetched; try again shortly.' },
  broker_key_unavailable: { exit: EXIT.unavailable, next: 'The API\'s signing key (KMS) is unavailable; try again shortly.' },
  not_found: { exit: EXIT.failed, next: 'Check --api-url (AURORA_AAD_API_URL); that path is not served there.' },
  sts_unavailable: { exit: EXIT.unavailable, next: 'AWS STS is unavailable or throttling; try again shortly.' },
  internal_error: { exit: EXIT.serverSide, next: 'The API failed; tell the platform team, quoting the request id.' },
};

const CLIENT_CODES: Record<string, { exit: number; next: string }> = {
  entra_token_unavailable: { exit: EXIT.signInNeeded, next: SIGN_IN },
  api_unreachable: { exit: EXIT.unavailable, next: 'Check --api-url (AURORA_AAD_API_URL) and your network; with --local, is `npm run stack` running?' },
  api_response_invalid: { exit: EXIT.failed, next: 'Check that --api-url points at the aurora-aad API.' },
  rds_ca_missing: { exit: EXIT.localSetup, next: 'Download the RDS CA bundle as shown, or pass --ca-bundle.' },
  client_missing: { exit: EXIT.localSetup, next: 'Install the database client (postgresql-client or mysql-client) or pass --client.' },
  engine_mismatch: { exit: EXIT.usage, next: 'Use the command for the target\'s engine (psql or mysql).' },
};

/** Prints a failure to stderr and returns its exit code. Never prints a token. */
function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof UsageError) {
    stderr.write(`aurora-aad: ${error.message}\nRun \`aurora-aad <command> --help\`.\n`);
    return EXIT.usage;
  }
  if (error instanceof AuroraAadError) {
    const known = API_CODES[error.code as ApiErrorCode] ?? CLIENT_CODES[error.code];
    const detail = error instanceof ApiProblemError ? error.detail : error.message;
    stderr.write(`aurora-aad: ${error.code}: ${detail}\n`);
    if (error instanceof ApiProblemError) {
      const retry = error.retryAfterSeconds ? ` (retry after ${error.retryAfterSeconds} s)` : '';
      stderr.write(`request id: ${error.requestId}${retry}\n`);
    }
    if (known) stderr.write(`next: ${known.next}\n`);
    return known?.exit ?? EXIT.failed;
  }
  stderr.write(`aurora-aad: ${(error as Error)?.message ?? String(error)}\n`);
  return EXIT.failed;
}

export { API_CODES, EXIT, reportFailure, UsageError };
