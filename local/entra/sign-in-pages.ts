/**
 * The browser side of a user sign-in, for development: Entra's authorize
 * endpoint (authorization code with PKCE, loopback redirect) and a device
 * login page. Where Entra asks for a password, the stand-in shows a user
 * picker; tests post the same forms (`/_dev/authorize`,
 * `/_dev/devicecode/approve`) directly.
 */
import type { ServerResponse } from 'node:http';
import type { Directory, Tenant } from './directory.js';
import { entraError } from './entra-errors.js';
import { opaqueValue } from './sign-in-store.js';
import type { SignInStore } from './sign-in-store.js';
import { requestedScopes, UserGrantFailure } from './user-grants.js';

/** Entra's authorization codes live for ten minutes. */
const CODE_LIFETIME_MS = 10 * 60_000;

/** A page or redirect to send, or a JSON error. */
type PageReply =
  | { readonly kind: 'html'; readonly status: number; readonly html: string }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'json'; readonly status: number; readonly body: object };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function userButtons(directory: Directory, tenant: Tenant | undefined): string {
  return directory.users
    .filter((user) => tenant === undefined || user.tenant.id === tenant.id)
    .map((user) => `<button name="user" value="${escapeHtml(user.name)}">` +
      `${escapeHtml(user.displayName)} (${escapeHtml(user.upn)})</button>`)
    .join('<br>');
}

/** Entra only redirects to loopback for this kind of client, on any port. */
function isLoopbackRedirect(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname);
  } catch {
    return false;
  }
}

function failure(status: number, error: string, code: number, message: string): PageReply {
  const reply = entraError({ status, error, code, message });
  return { kind: 'json', status: reply.status, body: reply.body };
}

/** `GET /{tid}/oauth2/v2.0/authorize`: checks the request, then shows the picker. */
function authorizePage(
  directory: Directory,
  store: SignInStore,
  tenant: Tenant,
  query: URLSearchParams,
): PageReply {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  if (clientId.toLowerCase() !== directory.cliClient.id.toLowerCase()) {
    return failure(400, 'unauthorized_client', 700016,
      `Application with identifier '${clientId}' was not found in the directory ` +
        `'${tenant.domain}'.`);
  }
  if (!isLoopbackRedirect(redirectUri)) {
    return failure(400, 'invalid_request', 50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the ` +
        'redirect URIs configured for the application: use http://localhost on any port.');
  }
  if (query.get('response_type') !== 'code') {
    return failure(400, 'unsupported_response_type', 900144, 'Use response_type=code.');
  }
  const challenge = query.get('code_challenge') ?? '';
  if (query.get('code_challenge_method') !== 'S256' || !/^[\w-]{43}$/.test(challenge)) {
    return failure(400, 'invalid_request', 501481,
      'The stand-in requires PKCE: code_challenge with code_challenge_method=S256.');
  }
  let scopes;
  try {
    scopes = requestedScopes(directory, query.get('scope') ?? '');
  } catch (error) {
    if (!(error instanceof UserGrantFailure)) throw error;
    const { status, error: code, code: number, message } = error.failure;
    return failure(status, code, number, message);
  }

  const id = opaqueValue(18);
  store.pending.set(id, {
    id, tenant, clientId: directory.cliClient.id, redirectUri, scopes,
    state: query.get('state') ?? undefined,
    nonce: query.get('nonce') ?? undefined,
    codeChallenge: challenge,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
  });
  return {
    kind: 'html',
    status: 200,
    html: page('Sign in to aurora-aad (development)',
      `<form method="post" action="/_dev/authorize">` +
        `<input type="hidden" name="request" value="${id}">` +
        `${userButtons(directory, tenant)}</form>`),
  };
}

/** `POST /_dev/authorize {request, user}`: the picked user; redirects with a code. */
function completeAuthorization(
  directory: Directory,
  store: SignInStore,
  input: Record<string, string>,
): PageReply {
  const pending = store.pending.get(input['request'] ?? '');
  if (pending === undefined || Date.now() >= pending.expiresAt) {
    return failure(400, 'invalid_request', 9002313,
      'The authorize request is unknown or expired; start the sign-in again.');
  }
  const user = directory.users.find((candidate) => candidate.name === input['user']);
  if (user === undefined || user.tenant.id !== pending.tenant.id) {
    return failure(400, 'invalid_request', 50034,
      `The user "${input['user'] ?? ''}" does not exist in tenant '${pending.tenant.domain}'.`);
  }
  store.pending.delete(pending.id);
  const code = opaqueValue();
  const { id: _id, ...request } = pending;
  store.codes.set(code, { ...request, code, user, redeemed: false });

  const location = new URL(pending.redirectUri);
  location.searchParams.set('code', code);
  if (pending.state !== undefined) location.searchParams.set('state', pending.state);
  location.searchParams.set('session_state', opaqueValue(18));
  return { kind: 'redirect', location: location.toString() };
}

/** `GET /_dev/devicelogin`: where the device-code message sends people. */
function deviceLoginPage(directory: Directory): PageReply {
  return {
    kind: 'html',
    status: 200,
    html: page('Device sign-in (development)',
      '<form method="post" action="/_dev/devicecode/approve">' +
        '<label>Code <input name="user_code" autocomplete="off"></label><br>' +
        `${userButtons(directory, undefined)}</form>`),
  };
}

/** `POST /_dev/devicecode/approve {user_code, user, decline?}`. */
function approveDeviceCode(
  directory: Directory,
  store: SignInStore,
  input: Record<string, string>,
): PageReply {
  const wanted = (input['user_code'] ?? '').trim().toUpperCase();
  const device = [...store.devices.values()].find((candidate) => candidate.userCode === wanted);
  if (device === undefined || device.redeemed || Date.now() >= device.expiresAt) {
    return failure(400, 'invalid_request', 70000,
      `No pending sign-in has the code "${wanted}"; it may have expired.`);
  }
  const user = directory.users.find((candidate) => candidate.name === input['user']);
  if (user === undefined || user.tenant.id !== device.tenant.id) {
    return failure(400, 'invalid_request', 50034,
      `The user "${input['user'] ?? ''}" does not exist in tenant '${device.tenant.domain}'.`);
  }
  if (input['decline'] === 'true') device.declined = true;
  else device.approvedBy = user;
  return {
    kind: 'json',
    status: 200,
    body: { approved: !device.declined, user: user.name, client: device.clientId },
  };
}

/** Writes a {@link PageReply}. */
function sendPage(response: ServerResponse, reply: PageReply): void {
  if (reply.kind === 'redirect') {
    response.writeHead(302, { location: reply.location, 'cache-control': 'no-store' });
    response.end();
    return;
  }
  const text = reply.kind === 'html' ? reply.html : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'content-type': reply.kind === 'html' ? 'text/html; charset=utf-8'
      : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store, no-cache',
  });
  response.end(text);
}

export { approveDeviceCode, authorizePage, completeAuthorization, deviceLoginPage, sendPage };
export type { PageReply };
