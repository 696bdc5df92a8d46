/**
 * Mints the token a {@link DevTokenRequest} describes. This is the one place
 * that turns directory names and request knobs into claims and a signature;
 * the developer endpoint, `issueToken()` and the token endpoint all come here.
 */
import { randomBytes } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { parseDevTokenRequest, DevTokenRequestError } from './dev-token-request.js';
import type { DevTokenRequest } from './dev-token-request.js';
import { findPrincipal } from './directory.js';
import type { App, Directory, User } from './directory.js';
import type { TokenVersion } from './issuers.js';
import type { KeyRing } from './signing-keys.js';
import { accessTokenClaims, idTokenClaims } from './token-claims.js';
import type { TokenTimes } from './token-claims.js';
import { encodeToken } from './token-encoding.js';

/** A minted token and the seconds it has left, for `expires_in`. */
interface MintedToken {
  readonly token: string;
  readonly expiresIn: number;
}

const DEFAULT_LIFETIME_SECONDS = 3600;

/** Far enough in the past that no verifier's clock tolerance revives it. */
const EXPIRED_SECONDS_AGO = 600;

function principalNamed(directory: Directory, request: DevTokenRequest): User | App {
  const name = request.user ?? request.app ?? '';
  const principal = findPrincipal(directory, name);
  const wanted = request.user === undefined ? 'app' : 'user';
  if (principal === undefined || principal.kind !== wanted) {
    const known = (wanted === 'user' ? directory.users : directory.apps).map((p) => p.name);
    throw new DevTokenRequestError(
      `No ${wanted} named "${name}" in the Entra stand-in directory ` +
        `(known ${wanted}s: ${known.join(', ')}).`,
    );
  }
  return principal;
}

function tokenTimes(request: DevTokenRequest, now: number): TokenTimes {
  const lifetime = request.lifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
  if (request.expired === true) {
    const expiresAt = now - EXPIRED_SECONDS_AGO;
    return { issuedAt: expiresAt - lifetime, notBefore: expiresAt - lifetime, expiresAt };
  }
  const notBefore = now + (request.notBeforeOffsetSeconds ?? 0);
  return { issuedAt: now, notBefore, expiresAt: now + lifetime };
}

function defaultAudience(directory: Directory, version: TokenVersion): string {
  return version === 1 ? directory.api.appIdUri : directory.api.clientId;
}

function claimsFor(
  directory: Directory,
  principal: User | App,
  request: DevTokenRequest,
  times: TokenTimes,
): JWTPayload {
  const version = request.version ?? 2;

  if (request.forge === 'id-token') {
    if (principal.kind !== 'user') {
      throw new DevTokenRequestError('Only users get ID tokens; ask with "user".');
    }
    const audience = request.audience ?? directory.cliClient.id;
    const nonce = randomBytes(16).toString('base64url');
    return idTokenClaims(directory, principal, { version, audience, nonce, ...times });
  }

  const userScope = principal.kind === 'user' ? directory.api.scope : undefined;
  const scope = request.scope === undefined ? userScope : request.scope || undefined;
  const appRoles = principal.kind === 'app' ? principal.appRoles : [];
  return accessTokenClaims(directory, principal, {
    version,
    audience: request.audience ?? defaultAudience(directory, version),
    scope,
    roles: request.roles ?? appRoles,
    ...times,
  });
}

function withExtraClaims(claims: JWTPayload, extra: Record<string, unknown> = {}): JWTPayload {
  const merged: Record<string, unknown> = { ...claims };
  for (const [name, value] of Object.entries(extra)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/**
 * Mints a token for a directory user or app. Throws
 * {@link DevTokenRequestError} for a malformed request or an unknown name.
 */
async function mintDevToken(
  directory: Directory,
  keys: KeyRing,
  input: unknown,
): Promise<MintedToken> {
  const request = parseDevTokenRequest(input);
  const principal = principalNamed(directory, request);
  const now = Math.floor(Date.now() / 1000);
  const times = tokenTimes(request, now);

  const claims = withExtraClaims(
    claimsFor(directory, principal, request, times),
    request.extraClaims,
  );
  const token = await encodeToken(keys, claims, request.version ?? 2, request.forge);
  return { token, expiresIn: Math.max(0, times.expiresAt - now) };
}

export { DEFAULT_LIFETIME_SECONDS, mintDevToken };
export type { MintedToken };
