import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { loadDirectory } from '../../local/entra/directory.js';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const FABRIKAM = '77022e91-1483-4de8-bc89-49f715bafe49';
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';
const BILLING_APP_ID = 'ac2dcf16-ab87-460c-a908-242edd0d6bfc';
const BILLING_OID = 'f3773758-2772-49cf-9158-ea94c265b3bb';
const BILLING_SECRET = 'dev-secret-billing-service';

let entra: EntraStandIn;
let entraV1: EntraStandIn;

beforeAll(async () => {
  const directory = await loadDirectory();
  [entra, entraV1] = await Promise.all([
    startEntraStandIn({ directory }),
    startEntraStandIn({
      directory: { ...directory, api: { ...directory.api, accessTokenVersion: 1 } },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([entra.close(), entraV1.close()]);
});

async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: await response.json() };
}

const billing = {
  grant_type: 'client_credentials',
  client_id: BILLING_APP_ID,
  client_secret: BILLING_SECRET,
  scope: 'api://aurora-aad/.default',
};

describe('POST /{tid}/oauth2/v2.0/token (client_credentials)', () => {
  it('issues an app-only v2 token that verifies against the tenant keys', async () => {
    const { status, body } = await postForm(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, billing);
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));

    const { payload } = await jwtVerify(body.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: `https://login.microsoftonline.com/${CONTOSO}/v2.0`,
      audience: API_CLIENT_ID,
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    expect(payload).toMatchObject({
      azp: BILLING_APP_ID,
      idtyp: 'app',
      oid: BILLING_OID,
      sub: BILLING_OID,
      roles: ['Credentials.Issue.All', 'Inventory.Write'],
      ver: '2.0',
    });
  });

  it('accepts the client id form of the scope and client_secret_basic', async () => {
    const basic = Buffer.from(`${BILLING_APP_ID}:${BILLING_SECRET}`).toString('base64');
    const { status, body } = await postForm(
      `${entra.url}/${CONTOSO}/oauth2/v2.0/token`,
      { grant_type: 'client_credentials', scope: `${API_CLIENT_ID}/.default` },
      { authorization: `Basic ${basic}` },
    );

    expect(status).toBe(200);
    expect(decodeJwt(body.access_token).aud).toBe(API_CLIENT_ID);
  });

  it('refuses a wrong secret with 401 invalid_client and AADSTS7000215', async () => {
    const { status, body } = await postForm(
      `${entra.url}/${CONTOSO}/oauth2/v2.0/token`,
      { ...billing, client_secret: 'dev-secret-reporting-job' },
      { 'client-request-id': '5b3c8a7e-0000-4000-8000-000000000001' },
    );

    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.error_codes).toEqual([7000215]);
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(body.error_description).toContain(`app '${BILLING_APP_ID}'`);
    expect(body.correlation_id).toBe('5b3c8a7e-0000-4000-8000-000000000001');
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body).not.toHaveProperty('access_token');
  });

  it('refuses a missing secret with AADSTS7000218', async () => {
    const { client_secret: _omitted, ...withoutSecret } = billing;
    const { status, body } = await postForm(
      `${entra.url}/${CONTOSO}/oauth2/v2.0/token`,
      withoutSecret,
    );

    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
  });

  it('refuses an unknown resource with invalid_resource and AADSTS500011', async () => {
    const { status, body } = await postForm(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, {
      ...billing,
      scope: 'https://graph.microsoft.com/.default',
    });

    expect(status).toBe(400);
    expect(body.error).toBe('invalid_resource');
    expect(body.error_codes).toEqual([500011]);
    expect(body.error_description).toMatch(/^AADSTS500011: The resource principal named /);
    expect(body.error_description).toContain(
      'named https://graph.microsoft.com was not found in the tenant named contoso-dev.',
    );
  });

  it('refuses a scope without /.default with AADSTS1002012', async () => {
    const { status, body } = await postForm(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, {
      ...billing,
      scope: 'api://aurora-aad/Credentials.Issue',
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('refuses an app from another tenant’s token endpoint with AADSTS700016', async () => {
    const { status, body } = await postForm(`${entra.url}/${FABRIKAM}/oauth2/v2.0/token`, billing);

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
    expect(body.error_description).toContain("directory 'fabrikam.onmicrosoft.com'");
  });

  it('refuses other grant types with unsupported_grant_type', async () => {
    const { status, body } = await postForm(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, {
      ...billing,
      grant_type: 'password',
    });

    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
  });

  it('treats a JSON body as missing grant_type, as Entra does', async () => {
    const response = await fetch(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(billing),
    });
    const body = (await response.json()) as { error: string; error_description: string };

    expect(response.status).toBe(400);
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(
      /^AADSTS900144: The request body must contain the following parameter: 'grant_type'\./,
    );
  });

  it('answers GET on the token endpoint with AADSTS900561', async () => {
    const response = await fetch(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`);
    const body = (await response.json()) as { error_codes: number[] };

    expect(response.status).toBe(400);
    expect(body.error_codes).toEqual([900561]);
  });
});

describe('POST /{tid}/oauth2/token (v1 endpoint)', () => {
  it('takes resource and answers string-valued lifetimes with expires_on', async () => {
    const { grant_type, client_id, client_secret } = billing;
    const { status, body } = await postForm(`${entra.url}/${CONTOSO}/oauth2/token`, {
      grant_type,
      client_id,
      client_secret,
      resource: 'api://aurora-aad',
    });

    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      expires_in: '3599',
      ext_expires_in: '3599',
      resource: 'api://aurora-aad',
    });
    expect(Number(body.expires_on) - Number(body.not_before)).toBe(3599);
    expect(decodeJwt(body.access_token).ver).toBe('2.0');
  });
});

describe('api.accessTokenVersion: 1', () => {
  it('issues v1 tokens whose audience is the identifier the client asked for', async () => {
    const byUri = await postForm(`${entraV1.url}/${CONTOSO}/oauth2/v2.0/token`, billing);
    const byClientId = await postForm(`${entraV1.url}/${CONTOSO}/oauth2/v2.0/token`, {
      ...billing,
      scope: `${API_CLIENT_ID}/.default`,
    });
    const jwks = createRemoteJWKSet(new URL(`${entraV1.url}/common/discovery/keys`));

    const { payload } = await jwtVerify(byUri.body.access_token, jwks, {
      algorithms: ['RS256'],
      issuer: `https://sts.windows.net/${CONTOSO}/`,
      audience: 'api://aurora-aad',
    });

    expect(payload).toMatchObject({ ver: '1.0', appid: BILLING_APP_ID, idtyp: 'app' });
    expect(decodeJwt(byClientId.body.access_token).aud).toBe(API_CLIENT_ID);
  });
});
