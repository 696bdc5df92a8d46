import type { Account, Role } from './account.js';
import { isoSeconds, mintCredentials, roleId } from './credentials.js';
import type { TemporaryCredentials } from './credentials.js';
import { StsError, accessDenied } from './errors.js';
import { evaluateTrustPolicy } from './policy.js';
import type { RequestContext } from './policy.js';
import { LIMITS, checkAction, parseAssumeRequest } from './request.js';
import type { AssumeRequest } from './request.js';
import { readSessionClaims } from './session-claims.js';
import type { SessionClaims } from './session-claims.js';
import { checkSessionPolicy, packedPolicySize } from './session-policy.js';
import type { VerifiedIdentity, WebIdentityVerifier } from './web-identity.js';

/** What a successful AssumeRoleWithWebIdentity returns. */
interface AssumeResult {
  readonly credentials: TemporaryCredentials;
  readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
  readonly subjectFromWebIdentityToken: string;
  readonly audience: string;
  readonly provider: string;
  readonly packedPolicySize: number | undefined;
  readonly sourceIdentity: string | undefined;
}

/**
 * Everything learnt while deciding a request, whether it ended in credentials
 * or a refusal, so the trail can record how far the request got.
 */
interface AssumeOutcome {
  readonly request: AssumeRequest | undefined;
  readonly identity: VerifiedIdentity | undefined;
  readonly session: SessionClaims | undefined;
  readonly result: AssumeResult | undefined;
  readonly error: StsError | undefined;
}

/** What deciding a request depends on; one set per stand-in. */
interface AssumeDependencies {
  readonly account: Account;
  readonly verifier: WebIdentityVerifier;
  readonly now: () => Date;
}

/**
 * Decides one AssumeRoleWithWebIdentity request in STS's order: parameters,
 * session policy, web identity token, session claims, role and trust policy,
 * role session limit; then issues credentials. Never throws for a refusal.
 */
async function assumeRoleWithWebIdentity(
  params: URLSearchParams,
  deps: AssumeDependencies,
): Promise<AssumeOutcome> {
  let request: AssumeRequest | undefined;
  let identity: VerifiedIdentity | undefined;
  let session: SessionClaims | undefined;
  try {
    checkAction(params);
    request = parseAssumeRequest(params);
    if (request.policy !== undefined) checkSessionPolicy(request.policy);

    identity = await deps.verifier.verify(request.webIdentityToken);
    session = readSessionClaims(identity.claims);
    const packed =
      request.policy !== undefined || session.tags.length > 0
        ? packedPolicySize(request.policy, session.tags)
        : undefined;

    const role = authorize(deps.account, request, identity, session);
    const result = issue(deps.now(), role, request, identity, session, packed);
    return { request, identity, session, result, error: undefined };
  } catch (cause) {
    const error =
      cause instanceof StsError
        ? cause
        : new StsError('InternalFailure', 'The STS stand-in failed unexpectedly.', { cause });
    return { request, identity, session, result: undefined, error };
  }
}

/**
 * Finds the role and asks its trust policy for every action the request needs:
 * sts:AssumeRoleWithWebIdentity always, sts:TagSession when the token carries
 * session tags, sts:SetSourceIdentity when it sets a source identity.
 */
function authorize(
  account: Account,
  request: AssumeRequest,
  identity: VerifiedIdentity,
  session: SessionClaims,
): Role {
  const role = account.roles.find((entry) => entry.arn === request.roleArn);
  if (request.roleAccount !== account.id || role === undefined) throw accessDenied();

  const actions = ['sts:AssumeRoleWithWebIdentity'];
  if (session.tags.length > 0) actions.push('sts:TagSession');
  if (session.sourceIdentity !== undefined) actions.push('sts:SetSourceIdentity');

  const context = requestContext(request, identity, session);
  for (const action of actions) {
    const decision = evaluateTrustPolicy(role.trustPolicy, {
      federatedPrincipal: identity.provider.arn,
      action,
      context,
    });
    if (decision !== 'allow') throw accessDenied();
  }

  const duration = request.durationSeconds ?? LIMITS.durationDefault;
  if (duration > role.maxSessionDuration) {
    throw new StsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
  return role;
}

/** The condition keys IAM offers a trust policy for AssumeRoleWithWebIdentity. */
function requestContext(
  request: AssumeRequest,
  identity: VerifiedIdentity,
  session: SessionClaims,
): RequestContext {
  const context = new Map<string, readonly string[]>();
  const set = (key: string, values: readonly string[]) => {
    if (values.length > 0) context.set(key.toLowerCase(), values);
  };
  const prefix = identity.provider.key;
  const amr = identity.claims['amr'];

  set(`${prefix}:aud`, [identity.audience]);
  set(`${prefix}:oaud`, identity.audiences);
  set(`${prefix}:sub`, [identity.subject]);
  set(`${prefix}:amr`, stringsOf(amr));
  set('sts:RoleSessionName', [request.roleSessionName]);
  for (const tag of session.tags) set(`aws:RequestTag/${tag.key}`, [tag.value]);
  set('aws:TagKeys', session.tags.map((tag) => tag.key));
  set('sts:TransitiveTagKeys', session.transitiveTagKeys);
  if (session.sourceIdentity !== undefined) set('sts:SourceIdentity', [session.sourceIdentity]);
  return context;
}

function issue(
  now: Date,
  role: Role,
  request: AssumeRequest,
  identity: VerifiedIdentity,
  session: SessionClaims,
  packed: number | undefined,
): AssumeResult {
  const issuedAt = new Date(isoSeconds(now));
  const id = roleId(role.arn);
  const accountId = role.arn.split(':')[4];
  return {
    credentials: mintCredentials(issuedAt, request.durationSeconds ?? LIMITS.durationDefault),
    assumedRoleUser: {
      arn: `arn:aws:sts::${accountId}:assumed-role/${role.name}/${request.roleSessionName}`,
      assumedRoleId: `${id}:${request.roleSessionName}`,
    },
    subjectFromWebIdentityToken: identity.subject,
    audience: identity.audience,
    provider: identity.provider.url,
    packedPolicySize: packed,
    sourceIdentity: session.sourceIdentity,
  };
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((entry) => typeof entry === 'string');
  return [];
}

export { assumeRoleWithWebIdentity };
export type { AssumeDependencies, AssumeOutcome, AssumeResult };
