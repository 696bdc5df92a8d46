import { assumeGrantRole } from '../sts/assume-grant-role.js';
import { selectGrant } from '../grants/grants-for.js';
import { signDbToken } from '../rds/sign-db-token.js';
import { sessionKey } from '../sts/session-cache.js';
import { roleSessionName } from '../sts/session-name.js';
import { verifyEntraToken } from '../identity/verify-entra-token.js';
import type { RouteRequest } from '../http/route.js';
import type { Runtime } from '../runtime.js';
import { parseCredentialRequest } from './credential-request.js';
import { credentialResponse } from './credential-response.js';
import type { CredentialResponse } from './credential-response.js';

/**
 * POST /v1/credentials, top to bottom: verify the caller's Entra token,
 * find the grant for the requested target, choose the web identity for STS
 * (the broker's own token, or the caller's in pass-through mode), assume
 * the granted role, sign the database token, answer. A session kept from
 * an earlier request for the same caller and grant skips the web identity
 * and STS. The audit trail learns each step as it happens, so a refusal at
 * any step is audited with everything known by then.
 */
async function issueCredentials(
  runtime: Runtime,
  { body, token, audit }: RouteRequest,
): Promise<CredentialResponse> {
  const request = parseCredentialRequest(body);
  audit.record({ target: request.target, db_user: request.dbUser });

  const caller = await verifyEntraToken(token, runtime.verify);
  audit.caller(caller);

  const grant = selectGrant(caller, runtime.mapping, request.target,
    request.dbUser);
  const sessionName = roleSessionName(caller);
  audit.record({
    db_user: grant.dbUser,
    role_arn: grant.roleArn,
    matched_rule: grant.ruleId,
    session_name: sessionName,
  });

  const key = sessionKey({ mode: runtime.settings.webIdentityMode, caller,
    grant, sessionName });
  const { session, cache } = await runtime.sessions.session(key, async () => {
    audit.record({ sts_cache: 'miss' });
    const identity = await runtime.webIdentity(caller, grant, token);
    audit.record({ web_identity_jti: identity.jti });

    return assumeGrantRole(runtime.sts, identity, grant, sessionName);
  });
  audit.record({ sts_cache: cache, sts_request_id: session.stsRequestId });

  const dbToken = await signDbToken(session, grant.target, grant.dbUser);
  audit.record({ expires_at: dbToken.expiresAt.toISOString() });

  return credentialResponse(grant, sessionName, dbToken);
}

export { issueCredentials };
