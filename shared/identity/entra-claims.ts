import { ApiError } from '../errors/api-error.js';
import type { Caller } from './caller.js';

/** What a verified token's claims must satisfy; from the mapping file. */
interface ClaimRules {
  tenants: readonly string[];
  audiences: readonly string[];
  scope: string;
  appRole: string;
  clockSkewSeconds: number;
}

type Claims = Record<string, unknown>;

const v1Issuer = /^https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/$/;
const v2Issuer = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks the claims of a token whose signature has already verified, in a
 * fixed order (issuer, tenant, audience, time, token kind), and returns the
 * caller. Each rule has its own error code so a refusal says exactly why.
 *
 * > [!NOTE]
 * > Entra signs every tenant's tokens with the same keys, so a good
 * > signature says nothing about the tenant: the issuer and `tid` are pinned
 * > here to the configured allow-list.
 */
function checkEntraClaims(claims: Claims, rules: ClaimRules): Caller {
  const issued = checkIssuer(claims);
  const tenantId = checkTenant(claims, issued.tenantId, rules);
  checkAudience(claims, rules);
  checkTime(claims, rules.clockSkewSeconds);
  return checkTokenKind(claims, issued.version, tenantId, rules);
}

function checkIssuer(claims: Claims) {
  const iss = String(claims.iss ?? '');
  const v1 = v1Issuer.exec(iss);
  const v2 = v2Issuer.exec(iss);
  const version = v1 ? '1.0' : v2 ? '2.0' : undefined;
  const tenantId = (v1 ?? v2)?.[1];
  if (!version || !tenantId) {
    throw new ApiError(
      'token_issuer_invalid',
      'The token issuer is not a Microsoft Entra ID v1 or v2 issuer.',
    );
  }
  if (claims.ver !== version) {
    throw new ApiError(
      'token_issuer_invalid',
      `The token's ver claim does not match its v${version[0]} issuer.`,
    );
  }
  return { version, tenantId } as const;
}

function checkTenant(claims: Claims, issuerTenant: string, rules: ClaimRules) {
  if (!rules.tenants.includes(issuerTenant) || claims.tid !== issuerTenant) {
    throw tenantNotAllowed();
  }
  return issuerTenant;
}

/** The refusal of a token from a tenant the mapping does not trust. */
function tenantNotAllowed(): ApiError {
  return new ApiError(
    'token_tenant_not_allowed',
    'The token was issued by a tenant that is not in the mapping\'s ' +
      'tenants list.',
  );
}

function checkAudience(claims: Claims, rules: ClaimRules): void {
  if (typeof claims.aud !== 'string' || !rules.audiences.includes(claims.aud)) {
    throw new ApiError(
      'token_audience_invalid',
      'The token was issued for another resource; request a token for ' +
        `one of: ${rules.audiences.join(', ')}.`,
    );
  }
}

function checkTime(claims: Claims, skewSeconds: number): void {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number') {
    throw new ApiError('token_malformed', 'The token has no exp claim.');
  }
  if (now >= claims.exp + skewSeconds) {
    throw new ApiError('token_expired', 'The token has expired; get a new one.');
  }
  if (typeof claims.nbf === 'number' && now + skewSeconds < claims.nbf) {
    throw new ApiError(
      'token_not_yet_valid',
      'The token is not valid yet; check the client clock.',
    );
  }
}

function checkTokenKind(
  claims: Claims,
  version: '1.0' | '2.0',
  tenantId: string,
  rules: ClaimRules,
): Caller {
  const scopes = typeof claims.scp === 'string'
    ? claims.scp.split(' ').filter(Boolean)
    : undefined;
  const roles = stringList(claims.roles);
  const isIdToken = 'nonce' in claims || 'at_hash' in claims ||
    'c_hash' in claims;
  const isApp = claims.idtyp === 'app' ||
    (scopes === undefined && roles !== undefined);
  const objectId = typeof claims.oid === 'string' && guid.test(claims.oid)
    ? claims.oid
    : undefined;

  if (isIdToken || !objectId || (!isApp && scopes === undefined)) {
    throw new ApiError(
      'token_kind_not_accepted',
      'Present an access token for this API, not an ID token or a token ' +
        'without a caller object id.',
    );
  }
  if (isApp && !(roles ?? []).includes(rules.appRole)) {
    throw new ApiError(
      'insufficient_scope',
      `App-only tokens need the app role ${rules.appRole} in roles; ` +
        'assign it to the calling application.',
      { extensions: { requiredScope: rules.appRole } },
    );
  }
  if (!isApp && !(scopes ?? []).includes(rules.scope)) {
    throw new ApiError(
      'insufficient_scope',
      `Delegated tokens need the scope ${rules.scope} in scp; request it ` +
        'when signing in.',
      { extensions: { requiredScope: rules.scope } },
    );
  }

  const names = claims._claim_names as Record<string, unknown> | undefined;
  return {
    tenantId,
    objectId,
    principalType: isApp ? 'app' : 'user',
    tokenVersion: version,
    appId: firstString(claims.azp, claims.appid),
    displayName: isApp
      ? firstString(claims.app_displayname)
      : firstString(claims.upn, claims.preferred_username, claims.unique_name),
    groups: stringList(claims.groups) ?? [],
    appRoles: roles ?? [],
    scopes: scopes ?? [],
    // Entra marks overage with _claim_names/_claim_sources, or with
    // hasgroups in tokens from the implicit flow.
    groupsOverage: claims.groups === undefined && (claims.hasgroups === true ||
      (typeof names === 'object' && names !== null && 'groups' in names)),
  };
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((item): item is string => typeof item === 'string');
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string =>
    typeof value === 'string' && value.length > 0);
}

export { checkEntraClaims, tenantNotAllowed };
export type { ClaimRules };
