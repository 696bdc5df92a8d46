/**
 * Delegated sign-in for the CLI, at Entra's endpoints and with Entra's
 * protocol: the device authorization endpoint and the token endpoint's
 * device_code, authorization_code (PKCE, S256) and refresh_token grants. A
 * public client (the directory's `clients`) signs in without a secret; the
 * access token is the same delegated token `POST /_dev/token` mints.
 */
import { createHash } from 'node:crypto';
import type { Directory, Tenant, User } from './directory.js';
import { mintDevToken } from './dev-tokens.js';
import { entraError } from './entra-errors.js';
import type { EntraErrorReply, EntraFailure } from './entra-errors.js';
import type { TokenEndpointReply, TokenEndpointRequest } from './client-credentials.js';
import type { KeyRing } from './signing-keys.js';
import { opaqueValue, userCode } from './sign-in-store.js';
import type { RequestedScopes, SignInStore } from './sign-in-store.js';

/** Entra's defaults for the device flow. */
const DEVICE_CODE_LIFETIME_SECONDS = 900;
const DEVICE_CODE_INTERVAL_SECONDS = 5;
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const USER_GRANTS = new Set([
  'urn:ietf:params:oauth:grant-type:device_code',
  'authorization_code',
  'refresh_token',
]);

class UserGrantFailure extends Error {
  constructor(readonly failure: EntraFailure) {
    super(failure.message);
  }
}

function fail(status: number, error: string, code: number, message: string): never {
  throw new UserGrantFailure({ status, error, code, message });
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') {
    fail(400, 'invalid_request', 900144,
      `The request body must contain the following parameter: '${name}'.`);
  }
  return value;
}

/** The client must be one of the directory's public clients. */
function publicClient(directory: Directory, clientId: string, tenant: Tenant): string {
  if (clientId.toLowerCase() === directory.cliClient.id.toLowerCase()) return directory.cliClient.id;
  return fail(400, 'unauthorized_client', 700016,
    `Application with identifier '${clientId}' was not found in the directory ` +
      `'${tenant.domain}'. The stand-in signs users in only through its public client ` +
      `(${directory.cliClient.id}).`);
}

/** Splits `scope` into the API resource and OpenID scopes; the API's scope is required. */
function requestedScopes(directory: Directory, scope: string): RequestedScopes {
  const { appIdUri, clientId, scope: apiScope } = directory.api;
  const oidc: string[] = [];
  let resource: string | undefined;
  for (const item of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(item)) {
      oidc.push(item);
      continue;
    }
    const slash = item.lastIndexOf('/');
    const owner = item.slice(0, slash).toLowerCase();
    const name = item.slice(slash + 1);
    const known = owner === appIdUri.toLowerCase() || owner === clientId.toLowerCase();
    if (!known || (name !== apiScope && name !== '.default')) {
      fail(400, 'invalid_scope', 70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${item} ` +
          `is not valid. The stand-in grants ${appIdUri}/${apiScope} only.`);
    }
    resource = owner === clientId.toLowerCase() ? clientId : appIdUri;
  }
  if (resource === undefined) {
    fail(400, 'invalid_scope', 70011,
      `The provided value for the input parameter 'scope' is not valid. Ask for ` +
        `${appIdUri}/${apiScope}.`);
  }
  return { resource, oidc };
}

/** Answers `POST /{tid}/oauth2/v2.0/devicecode`. */
function answerDeviceCodeRequest(
  directory: Directory,
  store: SignInStore,
  baseUrl: string,
  tenant: Tenant,
  form: URLSearchParams,
  correlationId: string | undefined,
): TokenEndpointReply | EntraErrorReply {
  try {
    const clientId = publicClient(directory, required(form, 'client_id'), tenant);
    const scopes = requestedScopes(directory, required(form, 'scope'));
    const code = userCode();
    const deviceCode = opaqueValue();
    store.devices.set(deviceCode, {
      deviceCode, userCode: code, tenant, clientId, scopes,
      expiresAt: Date.now() + DEVICE_CODE_LIFETIME_SECONDS * 1000,
      interval: DEVICE_CODE_INTERVAL_SECONDS,
      lastPollAt: undefined, approvedBy: undefined, declined: false, redeemed: false,
    });
    const verificationUri = `${baseUrl}/_dev/devicelogin`;
    return {
      status: 200,
      body: {
        user_code: code,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: DEVICE_CODE_LIFETIME_SECONDS,
        interval: DEVICE_CODE_INTERVAL_SECONDS,
        message: `To sign in, use a web browser to open the page ${verificationUri} and ` +
          `enter the code ${code} to authenticate.`,
      },
    };
  } catch (error) {
    if (!(error instanceof UserGrantFailure)) throw error;
    return entraError(error.failure, correlationId);
  }
}

function deviceCodeGrant(store: SignInStore, form: URLSearchParams, clientId: string) {
  const device = store.devices.get(required(form, 'device_code'));
  if (device === undefined || device.clientId !== clientId || device.redeemed) {
    fail(400, 'invalid_grant', 70000,
      'The provided value for the input parameter \'device_code\' is not valid.');
  }
  const now = Date.now();
  if (now >= device.expiresAt) {
    fail(400, 'expired_token', 70020,
      'The provided value for the input parameter \'device_code\' is not valid. This device ' +
        'code has expired.');
  }
  if (device.declined) fail(400, 'authorization_declined', 70000, 'The user declined the sign-in.');
  if (device.approvedBy === undefined) {
    const tooSoon = device.lastPollAt !== undefined &&
      now - device.lastPollAt < device.interval * 1000 - 500;
    device.lastPollAt = now;
    if (tooSoon) {
      device.interval += 5;
      fail(400, 'slow_down', 70016,
        `Polling too fast. Wait ${device.interval} seconds between requests.`);
    }
    fail(400, 'authorization_pending', 70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
  }
  device.redeemed = true;
  return { user: device.approvedBy, scopes: device.scopes, tenant: device.tenant, nonce: undefined };
}

function authorizationCodeGrant(store: SignInStore, form: URLSearchParams, clientId: string) {
  const issued = store.codes.get(required(form, 'code'));
  const redirectUri = required(form, 'redirect_uri');
  const verifier = form.get('code_verifier') ?? '';
  if (issued === undefined || issued.clientId !== clientId) {
    fail(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  }
  if (issued.redeemed) {
    fail(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, ' +
      'please retry with a new valid code or use an existing refresh token.');
  }
  if (Date.now() >= issued.expiresAt) {
    fail(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has ' +
      'expired due to inactivity. Send a new interactive authorization request.');
  }
  if (issued.redirectUri !== redirectUri) {
    fail(400, 'invalid_grant', 50011, `The redirect URI '${redirectUri}' does not match the ` +
      'one the authorization code was issued for.');
  }
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (verifier === '' || challenge !== issued.codeChallenge) {
    fail(400, 'invalid_grant', 50148,
      'The code_verifier does not match the code_challenge supplied in the authorization ' +
        'request for PKCE.');
  }
  issued.redeemed = true;
  return { user: issued.user, scopes: issued.scopes, tenant: issued.tenant, nonce: issued.nonce };
}

function refreshTokenGrant(store: SignInStore, form: URLSearchParams, clientId: string) {
  const grant = store.refreshTokens.get(required(form, 'refresh_token'));
  if (grant === undefined || grant.clientId !== clientId) {
    fail(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  }
  return { user: grant.user, scopes: grant.scopes, tenant: grant.tenant, nonce: undefined };
}

async function tokensFor(
  directory: Directory,
  keys: KeyRing,
  store: SignInStore,
  signedIn: { user: User; scopes: RequestedScopes; tenant: Tenant; nonce: string | undefined },
): Promise<object> {
  const { user, scopes, tenant } = signedIn;
  const version = directory.api.accessTokenVersion;
  const access = await mintDevToken(directory, keys, {
    user: user.name,
    version,
    audience: version === 2 ? directory.api.clientId : scopes.resource,
  });
  const granted = [`${scopes.resource}/${directory.api.scope}`, ...scopes.oidc];
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: granted.join(' '),
    expires_in: access.expiresIn,
    ext_expires_in: access.expiresIn,
    access_token: access.token,
  };
  if (scopes.oidc.includes('offline_access')) {
    const refreshToken = `0.${opaqueValue(96)}`;
    store.refreshTokens.set(refreshToken, { tenant, clientId: directory.cliClient.id, scopes, user });
    body['refresh_token'] = refreshToken;
  }
  if (scopes.oidc.includes('openid')) {
    const idToken = await mintDevToken(directory, keys, {
      user: user.name,
      forge: 'id-token',
      extraClaims: { nonce: signedIn.nonce ?? null },
    });
    body['id_token'] = idToken.token;
  }
  return body;
}

/**
 * Answers a token-endpoint request for a user grant, or `undefined` when the
 * grant type is not one (the client-credentials code answers those).
 */
async function answerUserGrant(
  directory: Directory,
  keys: KeyRing,
  store: SignInStore,
  request: TokenEndpointRequest,
): Promise<TokenEndpointReply | undefined> {
  const grantType = request.form.get('grant_type') ?? '';
  if (!USER_GRANTS.has(grantType)) return undefined;
  try {
    const clientId = publicClient(directory, required(request.form, 'client_id'), request.tenant);
    const signedIn =
      grantType === 'authorization_code'
        ? authorizationCodeGrant(store, request.form, clientId)
        : grantType === 'refresh_token'
          ? refreshTokenGrant(store, request.form, clientId)
          : deviceCodeGrant(store, request.form, clientId);
    if (signedIn.tenant.id !== request.tenant.id) {
      fail(400, 'invalid_grant', 9002313, 'The grant was issued by another tenant.');
    }
    return { status: 200, body: await tokensFor(directory, keys, store, signedIn) };
  } catch (error) {
    if (!(error instanceof UserGrantFailure)) throw error;
    return entraError(error.failure, request.correlationId);
  }
}

export { answerDeviceCodeRequest, answerUserGrant, requestedScopes, UserGrantFailure };
