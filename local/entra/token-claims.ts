/**
 * Claim sets shaped like Entra's: v1 and v2 access tokens for users and apps,
 * and ID tokens. The awkward cases a verifier meets in real tenants (guests
 * with `#EXT#`, the groups overage marker, app-only tokens, other tenants)
 * come from the directory entry, so the shape follows the person, not a flag.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { App, Directory, User } from './directory.js';
import { issuerFor, v1Issuer } from './issuers.js';
import type { TokenVersion } from './issuers.js';

/** When a token is valid, in seconds since the epoch. */
interface TokenTimes {
  readonly issuedAt: number;
  readonly notBefore: number;
  readonly expiresAt: number;
}

/** What varies between access tokens beyond who they are for. */
interface AccessTokenOptions extends TokenTimes {
  readonly version: TokenVersion;
  readonly audience: string;
  /** `undefined` leaves `scp` out. */
  readonly scope: string | undefined;
  /** Empty leaves `roles` out, as Entra does. */
  readonly roles: readonly string[];
}

/** What varies between ID tokens beyond who they are for. */
interface IdTokenOptions extends TokenTimes {
  readonly version: TokenVersion;
  readonly audience: string;
  readonly nonce: string;
}

/** Address reported in `ipaddr`: the stand-in only serves the loopback. */
const CALLER_IP = '127.0.0.1';

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Entra's `sub` is pairwise: the same person gets a different, stable `sub`
 * per application, so it is not the `oid` and cannot join data across apps.
 */
function pairwiseSubject(tenantId: string, oid: string, applicationId: string): string {
  return createHash('sha256')
    .update(`aurora-aad-entra-stand-in|${tenantId}|${oid}|${applicationId}`)
    .digest('base64url');
}

function commonClaims(
  version: TokenVersion,
  tenantId: string,
  audience: string,
  times: TokenTimes,
) {
  return {
    aud: audience,
    iss: issuerFor(version, tenantId),
    iat: times.issuedAt,
    nbf: times.notBefore,
    exp: times.expiresAt,
  };
}

/** v1 puts the overage pointer at AAD Graph, v2 at Microsoft Graph. */
function groupClaims(user: User, version: TokenVersion): JWTPayload {
  if (user.overage) {
    const endpoint =
      version === 1
        ? `https://graph.windows.net/${user.tenant.id}/users/${user.oid}/getMemberObjects`
        : `https://graph.microsoft.com/v1.0/users/${user.oid}/getMemberObjects`;
    return { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint } } };
  }
  return user.groupIds.length === 0 ? {} : { groups: [...user.groupIds] };
}

function guestClaims(user: User): JWTPayload {
  if (user.homeTenant === undefined) return {};
  return { idp: v1Issuer(user.homeTenant.id), acct: 1 };
}

function nameClaims(user: User): JWTPayload {
  const [given = user.displayName, ...rest] = user.displayName.split(' ');
  return rest.length === 0
    ? { given_name: given }
    : { family_name: rest.join(' '), given_name: given };
}

function userAccessClaims(
  directory: Directory,
  user: User,
  options: AccessTokenOptions,
): JWTPayload {
  const { version, scope, roles } = options;
  const clientId = directory.cliClient.id;
  const sub = pairwiseSubject(user.tenant.id, user.oid, directory.api.clientId);
  const scp = scope === undefined ? {} : { scp: scope };
  const roleClaim = roles.length === 0 ? {} : { roles: [...roles] };
  const base = commonClaims(version, user.tenant.id, options.audience, options);

  if (version === 1) {
    return {
      ...base,
      acr: '1',
      aio: opaque(48),
      amr: ['pwd', 'mfa'],
      appid: clientId,
      appidacr: '0',
      ...nameClaims(user),
      ...groupClaims(user, 1),
      ...guestClaims(user),
      ipaddr: CALLER_IP,
      name: user.displayName,
      oid: user.oid,
      rh: `0.${opaque(60)}`,
      ...roleClaim,
      ...scp,
      sub,
      tid: user.tenant.id,
      unique_name: user.upn,
      upn: user.upn,
      uti: opaque(16),
      ver: '1.0',
    };
  }
  return {
    ...base,
    aio: opaque(48),
    azp: clientId,
    azpacr: '0',
    ...groupClaims(user, 2),
    ...guestClaims(user),
    name: user.displayName,
    oid: user.oid,
    preferred_username: user.upn,
    rh: `0.${opaque(60)}`,
    ...roleClaim,
    ...scp,
    sub,
    tid: user.tenant.id,
    uti: opaque(16),
    ver: '2.0',
  };
}

function appAccessClaims(app: App, options: AccessTokenOptions): JWTPayload {
  const { version, scope, roles } = options;
  const base = commonClaims(version, app.tenant.id, options.audience, options);
  const caller =
    version === 1
      ? { appid: app.appId, appidacr: '1', idp: v1Issuer(app.tenant.id) }
      : { azp: app.appId, azpacr: '1' };

  return {
    ...base,
    aio: opaque(48),
    ...caller,
    idtyp: 'app',
    oid: app.oid,
    rh: `0.${opaque(60)}`,
    ...(roles.length === 0 ? {} : { roles: [...roles] }),
    ...(scope === undefined ? {} : { scp: scope }),
    sub: app.oid,
    tid: app.tenant.id,
    uti: opaque(16),
    ver: version === 1 ? '1.0' : '2.0',
  };
}

/** An access token's claims, delegated for a user and app-only for an app. */
function accessTokenClaims(
  directory: Directory,
  principal: User | App,
  options: AccessTokenOptions,
): JWTPayload {
  return principal.kind === 'user'
    ? userAccessClaims(directory, principal, options)
    : appAccessClaims(principal, options);
}

/**
 * An ID token's claims: issued to the CLI for its own sign-in, it has a
 * `nonce` claim and no `scp`, and must never be accepted as an access token.
 */
function idTokenClaims(directory: Directory, user: User, options: IdTokenOptions): JWTPayload {
  const { version } = options;
  const base = commonClaims(version, user.tenant.id, options.audience, options);
  const sub = pairwiseSubject(user.tenant.id, user.oid, directory.cliClient.id);
  const v1Only =
    version === 1
      ? { amr: ['pwd', 'mfa'], ...nameClaims(user), ipaddr: CALLER_IP, unique_name: user.upn }
      : {};

  return {
    ...base,
    aio: opaque(48),
    ...v1Only,
    ...guestClaims(user),
    name: user.displayName,
    nonce: options.nonce,
    oid: user.oid,
    ...(version === 2 ? { preferred_username: user.upn } : { upn: user.upn }),
    rh: `0.${opaque(60)}`,
    sub,
    tid: user.tenant.id,
    uti: opaque(16),
    ver: version === 1 ? '1.0' : '2.0',
  };
}

export { accessTokenClaims, idTokenClaims, pairwiseSubject };
export type { AccessTokenOptions, IdTokenOptions, TokenTimes };
