/**
 * The stand-in's HTTP surface: Entra's discovery, key, token, device-code
 * and authorize paths, plus developer routes under `/_dev`. Each request is answered from the shared
 * state the server owns; whatever a client sends, it gets a JSON reply and
 * the process keeps running.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerTokenRequest } from './client-credentials.js';
import { DevTokenRequestError } from './dev-token-request.js';
import { mintDevToken } from './dev-tokens.js';
import { findTenant } from './directory.js';
import type { Directory, Tenant } from './directory.js';
import { TENANT_PLACEHOLDER, v1Configuration, v2Configuration } from './discovery-documents.js';
import type { DocumentTenant } from './discovery-documents.js';
import { entraError, tenantNotFound } from './entra-errors.js';
import { BodyTooLargeError, mediaType, readBody, sendJson } from './http-messages.js';
import { v2Issuer } from './issuers.js';
import { publishKeys } from './signing-keys.js';
import type { KeyRing } from './signing-keys.js';
import {
  approveDeviceCode,
  authorizePage,
  completeAuthorization,
  deviceLoginPage,
  sendPage,
} from './sign-in-pages.js';
import type { SignInStore } from './sign-in-store.js';
import { answerDeviceCodeRequest, answerUserGrant } from './user-grants.js';

/** How key endpoints misbehave on purpose: an HTTP status, or no answer at all. */
type JwksFault = null | { readonly status: number } | 'hang';

/** Everything a request may read or change; the server owns it. */
interface StandInState {
  readonly directory: Directory;
  readonly keys: KeyRing;
  readonly signIns: SignInStore;
  baseUrl: string;
  jwksFault: JwksFault;
  readonly stats: { jwksRequests: number };
}

/** What Entra sends on its discovery documents and key sets. */
const PUBLIC_CACHE = { 'cache-control': 'max-age=86400, private' };

type Handler = (
  state: StandInState,
  request: IncomingMessage,
  response: ServerResponse,
  segments: readonly string[],
) => Promise<void> | void;

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: readonly string[];
  readonly handle: Handler;
}

function devError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: 'invalid_request', error_description: message });
}

function correlationIdOf(request: IncomingMessage): string | undefined {
  const value = request.headers['client-request-id'];
  return typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : undefined;
}

/**
 * The tenant a path names, `common` (when `allowCommon`), or `undefined`
 * after answering Entra's tenant-not-found error.
 */
function tenantOrReply(
  state: StandInState,
  request: IncomingMessage,
  response: ServerResponse,
  segment: string,
): Tenant | 'common' | undefined {
  if (segment.toLowerCase() === 'common') return 'common';
  const tenant = findTenant(state.directory, segment);
  if (tenant !== undefined) return tenant;
  const reply = entraError(tenantNotFound(segment), correlationIdOf(request));
  sendJson(response, reply.status, reply.body);
  return undefined;
}

function documentTenant(tenant: Tenant | 'common'): DocumentTenant {
  return tenant === 'common'
    ? { segment: 'common', issuerTenant: TENANT_PLACEHOLDER }
    : { segment: tenant.id, issuerTenant: tenant.id };
}

function discovery(version: 1 | 2): Handler {
  return (state, request, response, [segment = '']) => {
    const tenant = tenantOrReply(state, request, response, segment);
    if (tenant === undefined) return;
    const build = version === 1 ? v1Configuration : v2Configuration;
    sendJson(response, 200, build(state.baseUrl, documentTenant(tenant)), PUBLIC_CACHE);
  };
}

function keySet(version: 1 | 2): Handler {
  return (state, request, response, [segment = '']) => {
    state.stats.jwksRequests += 1;
    const fault = state.jwksFault;
    if (fault === 'hang') return;
    if (fault !== null) {
      sendJson(response, fault.status, {
        error: fault.status >= 500 ? 'temporarily_unavailable' : 'invalid_request',
        error_description: `The key endpoint is set to fail with HTTP ${fault.status}.`,
      });
      return;
    }

    const tenant = tenantOrReply(state, request, response, segment);
    if (tenant === undefined) return;
    const issuer = version === 1 ? undefined : v2Issuer(documentTenant(tenant).issuerTenant);
    const keys = publishKeys(state.keys.published(), issuer);
    sendJson(response, 200, { keys }, PUBLIC_CACHE);
  };
}

function tokenEndpoint(endpoint: 'v1' | 'v2'): Handler {
  return async (state, request, response, [segment = '']) => {
    const tenant = tenantOrReply(state, request, response, segment);
    if (tenant === undefined) return;
    if (tenant === 'common') {
      const reply = entraError(tenantNotFound(segment), correlationIdOf(request));
      sendJson(response, reply.status, reply.body);
      return;
    }

    const body = await readBody(request);
    const isForm = mediaType(request) === 'application/x-www-form-urlencoded';
    const tokenRequest = {
      endpoint,
      tenant,
      form: new URLSearchParams(isForm ? body.toString('utf8') : ''),
      authorization: request.headers.authorization,
      correlationId: correlationIdOf(request),
    };
    const reply =
      (await answerUserGrant(state.directory, state.keys, state.signIns, tokenRequest)) ??
      (await answerTokenRequest(state.directory, state.keys, tokenRequest));
    sendJson(response, reply.status, reply.body);
  };
}

/** A tenant named by a path, where `common` is not accepted. */
function realTenantOrReply(
  state: StandInState,
  request: IncomingMessage,
  response: ServerResponse,
  segment: string,
): Tenant | undefined {
  const tenant = tenantOrReply(state, request, response, segment);
  if (tenant !== 'common') return tenant;
  const reply = entraError(tenantNotFound(segment), correlationIdOf(request));
  sendJson(response, reply.status, reply.body);
  return undefined;
}

const deviceCode: Handler = async (state, request, response, [segment = '']) => {
  const tenant = realTenantOrReply(state, request, response, segment);
  if (tenant === undefined) return;
  const body = await readBody(request);
  const isForm = mediaType(request) === 'application/x-www-form-urlencoded';
  const reply = answerDeviceCodeRequest(state.directory, state.signIns, state.baseUrl, tenant,
    new URLSearchParams(isForm ? body.toString('utf8') : ''), correlationIdOf(request));
  sendJson(response, reply.status, reply.body);
};

const authorize: Handler = (state, request, response, [segment = '']) => {
  const tenant = realTenantOrReply(state, request, response, segment);
  if (tenant === undefined) return;
  const query = new URL(request.url ?? '/', 'http://stand-in.invalid').searchParams;
  sendPage(response, authorizePage(state.directory, state.signIns, tenant, query));
};

/** A developer form, sent as a browser form or as JSON; values as strings. */
async function formInput(request: IncomingMessage): Promise<Record<string, string>> {
  const text = (await readBody(request)).toString('utf8');
  if (mediaType(request) === 'application/json') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

const devAuthorize: Handler = async (state, request, response) => {
  sendPage(response, completeAuthorization(state.directory, state.signIns,
    await formInput(request)));
};

const devDeviceLogin: Handler = (state, _request, response) => {
  sendPage(response, deviceLoginPage(state.directory));
};

const devApproveDeviceCode: Handler = async (state, request, response) => {
  sendPage(response, approveDeviceCode(state.directory, state.signIns,
    await formInput(request)));
};

const devToken: Handler = async (state, request, response) => {
  const body = await readBody(request);
  if (mediaType(request) !== 'application/json') {
    devError(response, 400, 'Send the token request as application/json.');
    return;
  }
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    devError(response, 400, 'The token request body is not valid JSON.');
    return;
  }

  try {
    const minted = await mintDevToken(state.directory, state.keys, input);
    sendJson(response, 200, {
      access_token: minted.token,
      token_type: 'Bearer',
      expires_in: minted.expiresIn,
    });
  } catch (error) {
    if (!(error instanceof DevTokenRequestError)) throw error;
    devError(response, 400, error.message);
  }
};

const devDirectory: Handler = (state, _request, response) => {
  const { directory } = state;
  sendJson(response, 200, {
    tenants: directory.tenants.map(({ name, id, domain }) => ({ name, id, domain })),
    users: directory.users.map((user) => ({
      name: user.name,
      tenant: user.tenant.name,
      kind: user.homeTenant !== undefined ? 'guest' : user.overage ? 'overage' : 'member',
    })),
    apps: directory.apps.map((app) => ({ name: app.name, tenant: app.tenant.name, kind: 'app' })),
  });
};

/** `*` matches one path segment, which is handed to the handler. */
const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: ['*', 'v2.0', '.well-known', 'openid-configuration'],
    handle: discovery(2),
  },
  { method: 'GET', path: ['*', '.well-known', 'openid-configuration'], handle: discovery(1) },
  { method: 'GET', path: ['*', 'discovery', 'v2.0', 'keys'], handle: keySet(2) },
  { method: 'GET', path: ['*', 'discovery', 'keys'], handle: keySet(1) },
  { method: 'POST', path: ['*', 'oauth2', 'v2.0', 'token'], handle: tokenEndpoint('v2') },
  { method: 'POST', path: ['*', 'oauth2', 'token'], handle: tokenEndpoint('v1') },
  { method: 'POST', path: ['*', 'oauth2', 'v2.0', 'devicecode'], handle: deviceCode },
  { method: 'GET', path: ['*', 'oauth2', 'v2.0', 'authorize'], handle: authorize },
  { method: 'POST', path: ['_dev', 'authorize'], handle: devAuthorize },
  { method: 'GET', path: ['_dev', 'devicelogin'], handle: devDeviceLogin },
  { method: 'POST', path: ['_dev', 'devicecode', 'approve'], handle: devApproveDeviceCode },
  { method: 'POST', path: ['_dev', 'token'], handle: devToken },
  { method: 'GET', path: ['_dev', 'directory'], handle: devDirectory },
];

function matches(route: Route, segments: readonly string[]): string[] | undefined {
  if (route.path.length !== segments.length) return undefined;
  const captured: string[] = [];
  for (const [index, part] of route.path.entries()) {
    const segment = segments[index] ?? '';
    if (part === '*' && segment !== '' && !segment.startsWith('_')) captured.push(segment);
    else if (part !== segment) return undefined;
  }
  return captured;
}

function pathSegments(rawUrl: string | undefined): string[] | undefined {
  try {
    const { pathname } = new URL(rawUrl ?? '/', 'http://stand-in.invalid');
    return pathname.split('/').slice(1).map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

async function route(
  state: StandInState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const segments = pathSegments(request.url);
  if (segments === undefined) {
    devError(response, 400, 'The request path is not a valid URL path.');
    return;
  }
  const candidates = ROUTES.flatMap((candidate) => {
    const captured = matches(candidate, segments);
    return captured === undefined ? [] : [{ route: candidate, captured }];
  });
  const chosen = candidates.find((candidate) => candidate.route.method === request.method);
  if (chosen !== undefined) {
    await chosen.route.handle(state, request, response, chosen.captured);
    return;
  }

  if (candidates.some((candidate) => candidate.route.path.includes('token'))) {
    const reply = entraError(
      {
        status: 400,
        error: 'invalid_request',
        code: 900561,
        message: `The endpoint only accepts POST requests. Received a ${request.method} request.`,
      },
      correlationIdOf(request),
    );
    sendJson(response, reply.status, reply.body);
  } else if (candidates.length > 0) {
    const allow = [...new Set(candidates.map((candidate) => candidate.route.method))];
    sendJson(
      response,
      405,
      { error: 'invalid_request', error_description: `Use ${allow.join(' or ')} here.` },
      { allow: allow.join(', ') },
    );
  } else {
    sendJson(response, 404, {
      error: 'not_found',
      error_description: `The Entra stand-in has no ${request.method} /${segments.join('/')}.`,
    });
  }
}

/**
 * Builds the node:http listener. Unexpected failures answer 500 JSON rather
 * than escaping, since one bad request must not stop every other test.
 */
function createRequestListener(
  state: StandInState,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(state, request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: 'invalid_request', error_description: error.message },
          { connection: 'close' });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendJson(response, 500, { error: 'server_error', error_description: message });
    });
  };
}

export { createRequestListener };
export type { JwksFault, StandInState };
