import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const FABRIKAM = '77022e91-1483-4de8-bc89-49f715bafe49';
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';

interface KeySet {
  keys: Record<string, unknown>[];
}

let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

async function getJson(path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${entra.url}${path}`);
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('startEntraStandIn', () => {
  it('listens on the loopback and reports its url without a trailing slash', () => {
    expect(entra.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(entra.url).port)).toBeGreaterThan(0);
  });
});

describe('discovery documents', () => {
  it('serves the v2 document with the v2 issuer and stand-in endpoints', async () => {
    const { status, body, headers } = await getJson(
      `/${CONTOSO}/v2.0/.well-known/openid-configuration`,
    );

    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('max-age=86400, private');
    expect(body.issuer).toBe(`https://login.microsoftonline.com/${CONTOSO}/v2.0`);
    expect(body.jwks_uri).toBe(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);
    expect(body.token_endpoint).toBe(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`);
    expect(body.authorization_endpoint).toBe(`${entra.url}/${CONTOSO}/oauth2/v2.0/authorize`);
    expect(body.device_authorization_endpoint).toBe(
      `${entra.url}/${CONTOSO}/oauth2/v2.0/devicecode`,
    );
    expect(body.subject_types_supported).toEqual(['pairwise']);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(body.response_types_supported).toContain('code');
    expect(body.scopes_supported).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(body.claims_supported).toContain('tid');
    expect(body.tenant_region_scope).toBe('EU');
  });

  it('serves the v1 document with the sts.windows.net issuer and common keys', async () => {
    const { status, body } = await getJson(`/${FABRIKAM}/.well-known/openid-configuration`);

    expect(status).toBe(200);
    expect(body.issuer).toBe(`https://sts.windows.net/${FABRIKAM}/`);
    expect(body.jwks_uri).toBe(`${entra.url}/common/discovery/keys`);
    expect(body.token_endpoint).toBe(`${entra.url}/${FABRIKAM}/oauth2/token`);
    expect(body.subject_types_supported).toEqual(['pairwise']);
  });

  it('accepts the tenant domain and still names the tenant by its GUID', async () => {
    const { body } = await getJson(
      '/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration',
    );

    expect(body.issuer).toBe(`https://login.microsoftonline.com/${CONTOSO}/v2.0`);
    expect(body.jwks_uri).toBe(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);
  });

  it('answers the common v2 document with the tenant placeholder issuer', async () => {
    const { body } = await getJson('/common/v2.0/.well-known/openid-configuration');

    expect(body.issuer).toBe('https://login.microsoftonline.com/{tenantid}/v2.0');
    expect(body.tenant_region_scope).toBeNull();
  });

  it('refuses an unknown tenant with AADSTS90002 in Entra’s error shape', async () => {
    const { status, body } = await getJson(
      '/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration',
    );

    expect(status).toBe(400);
    expect(body.error).toBe('invalid_tenant');
    expect(body.error_codes).toEqual([90002]);
    expect(body.error_description).toMatch(
      /^AADSTS90002: Tenant '00000000-0000-0000-0000-000000000000' not found\./,
    );
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('key sets', () => {
  it('publishes RSA signing keys with an issuer on the v2 endpoint only', async () => {
    const v2 = await getJson(`/${CONTOSO}/discovery/v2.0/keys`);
    const v1 = await getJson(`/${CONTOSO}/discovery/keys`);
    const [v2Key] = (v2.body as KeySet).keys;
    const [v1Key] = (v1.body as KeySet).keys;

    expect(v2.status).toBe(200);
    expect(v2.headers.get('cache-control')).toBe('max-age=86400, private');
    expect(v2Key).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      e: 'AQAB',
      issuer: `https://login.microsoftonline.com/${CONTOSO}/v2.0`,
    });
    expect(String(v2Key?.kid)).toMatch(/^[\w-]{43}$/);
    expect(String(v2Key?.n).length).toBe(342);
    expect(v1Key).not.toHaveProperty('issuer');
    expect(v1Key?.kid).toBe(v2Key?.kid);
  });

  it('serves the same keys on the common endpoints, with the placeholder issuer', async () => {
    const v2 = await getJson('/common/discovery/v2.0/keys');
    const v1 = await getJson('/common/discovery/keys');

    expect((v2.body as KeySet).keys[0]?.issuer).toBe(
      'https://login.microsoftonline.com/{tenantid}/v2.0',
    );
    expect((v1.body as KeySet).keys.map((key) => key.kid)).toEqual(
      (v2.body as KeySet).keys.map((key) => key.kid),
    );
  });

  it('refuses a key request for an unknown tenant with 400', async () => {
    const { status, body } = await getJson('/not-a-tenant/discovery/v2.0/keys');

    expect(status).toBe(400);
    expect(body.error_codes).toEqual([90002]);
  });

  it('verifies a v2 token through createRemoteJWKSet over HTTP', async () => {
    const token = await entra.issueToken({ user: 'alice' });
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));

    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      issuer: `https://login.microsoftonline.com/${CONTOSO}/v2.0`,
      audience: API_CLIENT_ID,
    });

    expect(protectedHeader).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    expect(payload.oid).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
  });

  it('verifies a v1 token through the v1 document’s jwks_uri', async () => {
    const { body } = await getJson(`/${CONTOSO}/.well-known/openid-configuration`);
    const token = await entra.issueToken({ user: 'alice', version: 1 });
    const jwks = createRemoteJWKSet(new URL(body.jwks_uri));

    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      issuer: body.issuer,
      audience: 'api://aurora-aad',
    });

    expect(protectedHeader.x5t).toBe(protectedHeader.kid);
    expect(payload.ver).toBe('1.0');
  });
});

describe('rotateSigningKey', () => {
  it('signs new tokens with a new kid and keeps the old key published', async () => {
    const before = await entra.issueToken({ user: 'alice' });
    const oldKid = decodeProtectedHeader(before).kid;

    await entra.rotateSigningKey();
    const after = await entra.issueToken({ user: 'alice' });
    const newKid = decodeProtectedHeader(after).kid;
    const { body } = await getJson(`/${CONTOSO}/discovery/v2.0/keys`);
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));

    expect(newKid).not.toBe(oldKid);
    expect((body as KeySet).keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
    await expect(jwtVerify(before, jwks, { algorithms: ['RS256'] })).resolves.toBeDefined();
    await expect(jwtVerify(after, jwks, { algorithms: ['RS256'] })).resolves.toBeDefined();
  });
});

describe('setJwksFault', () => {
  it('answers key requests with the fault status and counts every request', async () => {
    const before = entra.stats.jwksRequests;
    entra.setJwksFault({ status: 503 });

    const v2 = await fetch(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);
    const common = await fetch(`${entra.url}/common/discovery/keys`);
    const discovery = await fetch(`${entra.url}/${CONTOSO}/v2.0/.well-known/openid-configuration`);
    entra.setJwksFault(null);
    const healed = await fetch(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);

    expect(v2.status).toBe(503);
    expect(await v2.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(common.status).toBe(503);
    expect(discovery.status).toBe(200);
    expect(healed.status).toBe(200);
    expect(entra.stats.jwksRequests).toBe(before + 3);
  });

  it('makes jose report the upstream failure instead of verifying', async () => {
    entra.setJwksFault({ status: 500 });
    const token = await entra.issueToken({ user: 'alice' });
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));

    const failure = jwtVerify(token, jwks, { algorithms: ['RS256'] });

    await expect(failure).rejects.toThrow(
      'Expected 200 OK from the JSON Web Key Set HTTP response',
    );
    entra.setJwksFault(null);
  });

  it('leaves key requests unanswered while hanging, so clients time out', async () => {
    entra.setJwksFault('hang');
    const token = await entra.issueToken({ user: 'alice' });
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`), {
      timeoutDuration: 300,
    });

    const failure = jwtVerify(token, jwks, { algorithms: ['RS256'] });

    await expect(failure).rejects.toBeInstanceOf(errors.JWKSTimeout);
    entra.setJwksFault(null);
  });
});
