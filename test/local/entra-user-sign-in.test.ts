import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const CLI_CLIENT = '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754';
const API_CLIENT = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';
const SCOPE = 'api://aurora-aad/Credentials.Issue offline_access';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await entra.close();
});

type Json = Record<string, any>;

async function post(path: string, form: Record<string, string>): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${entra.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

async function postJson(path: string, body: object): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${entra.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const startDevice = () =>
  post(`/${CONTOSO}/oauth2/v2.0/devicecode`, { client_id: CLI_CLIENT, scope: SCOPE });

const pollDevice = (deviceCode: string) =>
  post(`/${CONTOSO}/oauth2/v2.0/token`, {
    grant_type: DEVICE_GRANT, client_id: CLI_CLIENT, device_code: deviceCode,
  });

describe('device code flow', () => {
  it('answers a device authorization the way Entra does', async () => {
    const { status, body } = await startDevice();

    expect(status).toBe(200);
    expect(body.user_code).toMatch(/^[A-Z2-9]{9}$/);
    expect(body.device_code).toEqual(expect.any(String));
    expect(body.verification_uri).toBe(`${entra.url}/_dev/devicelogin`);
    expect(body.expires_in).toBe(900);
    expect(body.interval).toBe(5);
    expect(body.message).toContain(body.user_code);
  });

  it('answers authorization_pending, then slow_down when polled too fast', async () => {
    const { body: device } = await startDevice();

    const first = await pollDevice(device.device_code);
    const second = await pollDevice(device.device_code);

    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    expect(second.body).toMatchObject({ error: 'slow_down' });
  });

  it('issues a delegated token and a refresh token once the user approves', async () => {
    const { body: device } = await startDevice();

    const approval = await postJson('/_dev/devicecode/approve', {
      user_code: device.user_code, user: 'alice',
    });
    const { status, body } = await pollDevice(device.device_code);

    expect(approval.status).toBe(200);
    expect(approval.body).toEqual({ approved: true, user: 'alice', client: CLI_CLIENT });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(body.scope).toBe('api://aurora-aad/Credentials.Issue offline_access');
    expect(body.refresh_token).toMatch(/^0\./);
    expect(body.id_token).toBeUndefined();
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      aud: API_CLIENT, azp: CLI_CLIENT, scp: 'Credentials.Issue', tid: CONTOSO,
      preferred_username: 'alice@contoso.onmicrosoft.com', ver: '2.0',
    });
    expect((await pollDevice(device.device_code)).body.error).toBe('invalid_grant');
  });

  it('answers expired_token after fifteen minutes', async () => {
    const { body: device } = await startDevice();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 901_000);

    const { status, body } = await pollDevice(device.device_code);

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'expired_token', error_codes: [70020] });
  });

  it('refuses an approval for an unknown code or a user of another tenant', async () => {
    const { body: device } = await startDevice();

    const unknown = await postJson('/_dev/devicecode/approve', { user_code: 'NOPE', user: 'alice' });
    const otherTenant = await postJson('/_dev/devicecode/approve', {
      user_code: device.user_code, user: 'erin',
    });

    expect(unknown.status).toBe(400);
    expect(otherTenant.body.error_codes).toEqual([50034]);
  });

  it('refuses a client other than the public client and a scope of another API', async () => {
    const wrongClient = await post(`/${CONTOSO}/oauth2/v2.0/devicecode`, {
      client_id: API_CLIENT, scope: SCOPE,
    });
    const graph = await post(`/${CONTOSO}/oauth2/v2.0/devicecode`, {
      client_id: CLI_CLIENT, scope: 'https://graph.microsoft.com/User.Read',
    });

    expect(wrongClient.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(graph.body).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
  });
});

describe('authorization code flow with PKCE', () => {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = 'http://localhost:43999/';

  async function signIn(query: Record<string, string> = {}): Promise<URL> {
    const url = new URL(`${entra.url}/${CONTOSO}/oauth2/v2.0/authorize`);
    const params = {
      client_id: CLI_CLIENT, response_type: 'code', redirect_uri: redirectUri,
      scope: `openid ${SCOPE}`, state: 'state-1', nonce: 'nonce-1',
      code_challenge: challenge, code_challenge_method: 'S256', ...query,
    };
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const pageHtml = await (await fetch(url)).text();
    const request = /name="request" value="([^"]+)"/.exec(pageHtml)?.[1] ?? '';
    const picked = await fetch(`${entra.url}/_dev/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, user: 'alice' }),
      redirect: 'manual',
    });
    expect(picked.status).toBe(302);
    return new URL(picked.headers.get('location') ?? '');
  }

  const redeem = (code: string, codeVerifier = verifier) =>
    post(`/${CONTOSO}/oauth2/v2.0/token`, {
      grant_type: 'authorization_code', client_id: CLI_CLIENT, code,
      redirect_uri: redirectUri, code_verifier: codeVerifier,
    });

  it('redirects to the loopback with a code and the state, and redeems it once', async () => {
    const location = await signIn();
    const code = location.searchParams.get('code') ?? '';

    const { status, body } = await redeem(code);
    const again = await redeem(code);

    expect(location.origin).toBe('http://localhost:43999');
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token)).toMatchObject({ aud: API_CLIENT, scp: 'Credentials.Issue' });
    expect(decodeJwt(body.id_token)).toMatchObject({ aud: CLI_CLIENT, nonce: 'nonce-1' });
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('refuses a code_verifier that does not match the challenge', async () => {
    const location = await signIn();

    const { status, body } = await redeem(location.searchParams.get('code') ?? '', 'x'.repeat(43));

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [50148] });
  });

  it('refuses a redirect that is not the loopback and a request without PKCE', async () => {
    const base = `${entra.url}/${CONTOSO}/oauth2/v2.0/authorize?client_id=${CLI_CLIENT}` +
      '&response_type=code&scope=api://aurora-aad/Credentials.Issue';
    const remote = await fetch(`${base}&redirect_uri=https://evil.example/cb` +
      `&code_challenge=${challenge}&code_challenge_method=S256`);
    const plain = await fetch(`${base}&redirect_uri=${redirectUri}`);

    expect(remote.status).toBe(400);
    expect(((await remote.json()) as Json).error_codes).toEqual([50011]);
    expect(plain.status).toBe(400);
  });

  it('trades a refresh token for a new access token', async () => {
    const location = await signIn();
    const { body: first } = await redeem(location.searchParams.get('code') ?? '');

    const { status, body } = await post(`/${CONTOSO}/oauth2/v2.0/token`, {
      grant_type: 'refresh_token', client_id: CLI_CLIENT, refresh_token: first.refresh_token,
      scope: SCOPE,
    });
    const unknown = await post(`/${CONTOSO}/oauth2/v2.0/token`, {
      grant_type: 'refresh_token', client_id: CLI_CLIENT, refresh_token: '0.unknown',
    });

    expect(status).toBe(200);
    expect(body.access_token).not.toBe(first.access_token);
    expect(decodeJwt(body.access_token).oid).toBe(decodeJwt(first.access_token).oid);
    expect(unknown.body.error).toBe('invalid_grant');
  });
});
