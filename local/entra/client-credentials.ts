/**
 * The token endpoint's client-credentials grant, the way services get app-only
 * tokens for the API. It checks what Entra checks, in the same order, and
 * refuses with Entra's codes, so a service's real token-acquisition code can
 * run against the stand-in unchanged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { App, Directory, Tenant } from './directory.js';
import { mintDevToken } from './dev-tokens.js';
import { entraError } from './entra-errors.js';
import type { EntraFailure } from './entra-errors.js';
import type { KeyRing } from './signing-keys.js';

/** Entra issues client-credentials tokens for a little under an hour. */
const APP_TOKEN_LIFETIME_SECONDS = 3599;

/** One token request as it reached an endpoint. */
interface TokenEndpointRequest {
  /** `v2` is `/oauth2/v2.0/token` (`scope`); `v1` is `/oauth2/token` (`resource`). */
  readonly endpoint: 'v1' | 'v2';
  readonly tenant: Tenant;
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  readonly correlationId: string | undefined;
}

/** A status and JSON body, success or Entra error. */
interface TokenEndpointReply {
  readonly status: number;
  readonly body: object;
}

class TokenRequestFailure extends Error {
  constructor(readonly failure: EntraFailure) {
    super(failure.message);
  }
}

function missing(parameter: string): TokenRequestFailure {
  return new TokenRequestFailure({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    message: `The request body must contain the following parameter: '${parameter}'.`,
  });
}

/** RFC 6749 form-encodes Basic credentials; a bad escape is kept as sent. */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/** `client_secret_basic` or `client_secret_post`, as Entra accepts both. */
function clientCredentials(request: TokenEndpointRequest): { id?: string; secret?: string } {
  const header = request.authorization ?? '';
  if (/^basic /i.test(header)) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      return {
        id: formDecoded(decoded.slice(0, colon)),
        secret: formDecoded(decoded.slice(colon + 1)),
      };
    }
  }
  return {
    id: request.form.get('client_id') ?? undefined,
    secret: request.form.get('client_secret') ?? undefined,
  };
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function authenticate(directory: Directory, request: TokenEndpointRequest): App {
  const { id, secret } = clientCredentials(request);
  if (id === undefined || id === '') throw missing('client_id');

  const app = directory.apps.find(
    (candidate) =>
      candidate.appId.toLowerCase() === id.toLowerCase() &&
      candidate.tenant.id === request.tenant.id,
  );
  if (app === undefined) {
    throw new TokenRequestFailure({
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      message:
        `Application with identifier '${id}' was not found in the directory ` +
        `'${request.tenant.domain}'. This can happen if the application has not been ` +
        'installed by the administrator of the tenant or consented to by any user in the ' +
        'tenant. You may have sent your authentication request to the wrong tenant.',
    });
  }
  if (secret === undefined || secret === '') {
    throw new TokenRequestFailure({
      status: 401,
      error: 'invalid_client',
      code: 7000218,
      message:
        "The request body must contain the following parameter: 'client_assertion' or " +
        "'client_secret'.",
    });
  }
  if (!sameSecret(secret, app.secret)) {
    throw new TokenRequestFailure({
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      message:
        'Invalid client secret provided. Ensure the secret being sent in the request is the ' +
        `client secret value, not the client secret ID, for a secret added to app '${app.appId}'.`,
    });
  }
  return app;
}

/** The resource asked for: `scope` minus `/.default` on v2, `resource` on v1. */
function requestedResource(request: TokenEndpointRequest): string {
  if (request.endpoint === 'v1') {
    const resource = request.form.get('resource');
    if (resource === null || resource === '') throw missing('resource');
    return resource;
  }
  const scope = request.form.get('scope');
  if (scope === null || scope.trim() === '') throw missing('scope');
  const resource = /^(\S+)\/\.default$/.exec(scope.trim())?.[1];
  if (resource === undefined) {
    throw new TokenRequestFailure({
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      message:
        `The provided value for scope ${scope} is not valid. Client credential flows must ` +
        'have a scope value with /.default suffixed to the resource identifier ' +
        '(application ID URI).',
    });
  }
  return resource;
}

/** The API identifier the resource names, spelled as the directory spells it. */
function apiIdentifier(directory: Directory, resource: string, tenant: Tenant): string {
  const { appIdUri, clientId } = directory.api;
  const wanted = resource.replace(/\/+$/, '').toLowerCase();
  if (wanted === appIdUri.toLowerCase()) return appIdUri;
  if (wanted === clientId.toLowerCase()) return clientId;
  throw new TokenRequestFailure({
    status: 400,
    error: 'invalid_resource',
    code: 500011,
    message:
      `The resource principal named ${resource} was not found in the tenant named ` +
      `${tenant.name}. This can happen if the application has not been installed by the ` +
      'administrator of the tenant or consented to by any user in the tenant. You might ' +
      'have sent your authentication request to the wrong tenant.',
  });
}

function checkGrantType(form: URLSearchParams): void {
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') throw missing('grant_type');
  if (grantType !== 'client_credentials') {
    throw new TokenRequestFailure({
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
      message:
        `The app requested an unsupported grant type '${grantType}'. ` +
        'The Entra stand-in grants client_credentials, device_code, authorization_code and ' +
        'refresh_token; POST /_dev/token mints any other token.',
    });
  }
}

/**
 * Answers a token-endpoint request. The token's version is the API's
 * accepted version (`api.accessTokenVersion`), whichever endpoint was asked,
 * because Entra decides the version by the resource, not by the endpoint.
 */
async function answerTokenRequest(
  directory: Directory,
  keys: KeyRing,
  request: TokenEndpointRequest,
): Promise<TokenEndpointReply> {
  try {
    checkGrantType(request.form);
    const app = authenticate(directory, request);
    const resource = apiIdentifier(directory, requestedResource(request), request.tenant);

    const version = directory.api.accessTokenVersion;
    const audience = version === 2 ? directory.api.clientId : resource;
    const minted = await mintDevToken(directory, keys, {
      app: app.name,
      version,
      audience,
      lifetimeSeconds: APP_TOKEN_LIFETIME_SECONDS,
    });
    return { status: 200, body: successBody(request, minted.token, minted.expiresIn, resource) };
  } catch (error) {
    if (!(error instanceof TokenRequestFailure)) throw error;
    return entraError(error.failure, request.correlationId);
  }
}

/** v2 answers numbers; v1 answers strings and adds `expires_on`/`resource`. */
function successBody(
  request: TokenEndpointRequest,
  token: string,
  expiresIn: number,
  resource: string,
): object {
  if (request.endpoint === 'v2') {
    return {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
    };
  }
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: 'Bearer',
    expires_in: String(expiresIn),
    ext_expires_in: String(expiresIn),
    expires_on: String(now + expiresIn),
    not_before: String(now),
    resource,
    access_token: token,
  };
}

export { answerTokenRequest };
export type { TokenEndpointReply, TokenEndpointRequest };
