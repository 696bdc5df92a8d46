import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.js';
import type { LocalStack } from '../../local/stack.js';
import type { DevTokenRequest } from '../../local/entra/server.js';

// The whole product as it deploys: serverless.yml served by
// serverless-offline, in broker mode, against the Entra and STS stand-ins.
let stack: LocalStack;
const apiLines: string[] = [];
const secrets: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    entraPort: 0,
    stsPort: 0,
    apiPort: 43120,
    lambdaPort: 43122,
    isolate: true,
    onApiLine: (line) => apiLines.push(line),
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

async function tokenFor(request: DevTokenRequest): Promise<string> {
  const token = await stack.entra.issueToken(request);
  secrets.push(token);
  return token;
}

async function askForCredentials(token: string, body: object) {
  const response = await fetch(`${stack.apiUrl}/v1/credentials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json() as Record<string, any>;
  if (typeof answer.token === 'string') secrets.push(answer.token);
  return { response, body: answer };
}

function auditEvents(): Array<Record<string, unknown>> {
  return apiLines.filter((line) => line.includes('"event":"'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))))
    .filter((entry) => /^(credential|targets)\./.test(String(entry.event)));
}

describe('the API under serverless-offline', () => {
  it('vends a token through broker mode, naming the person in STS', async () => {
    const trailBefore = stack.sts.trail.length;

    const { response, body } = await askForCredentials(
      await tokenFor({ user: 'alice' }), { target: 'orders-prod', dbUser: 'app_reader' });

    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      dbUser: 'app_reader',
      roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
    });
    expect(Date.parse(body.expiresAt)).toBeLessThanOrEqual(Date.now() + 900_000);
    const [call] = stack.sts.trail.slice(trailBefore);
    expect(call).toMatchObject({
      userIdentity: {
        userName: 'rule/orders-readers',
        identityProvider: stack.apiUrl.replace('http://', ''),
      },
      requestParameters: {
        sourceIdentity: 'alice@contoso.onmicrosoft.com',
        principalTags: {
          tid: 'cfe917f4-2d4b-4269-87e5-caaf86008490',
          oid: 'c87be44a-faf5-4c45-addf-91578618fbca',
          rule: 'orders-readers',
        },
      },
      responseElements: { sourceIdentity: 'alice@contoso.onmicrosoft.com' },
    });
  });

  it('publishes OIDC metadata whose issuer is exactly the minted tokens\'', async () => {
    const discovery = await (await fetch(
      `${stack.apiUrl}/.well-known/openid-configuration`)).json() as Record<string, any>;
    const jwks = await (await fetch(discovery.jwks_uri)).json() as Record<string, any>;

    expect(discovery).toMatchObject({
      issuer: stack.apiUrl,
      jwks_uri: `${stack.apiUrl}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
    // STS matched the minted tokens' iss to the provider registered for
    // exactly this issuer.
    const providers = stack.sts.trail.map((event) => event.responseElements?.provider);
    expect(providers).toContain(discovery.issuer);
  });

  it('refuses hostile and foreign tokens, each with its own code', async () => {
    const cases: Array<[DevTokenRequest, string]> = [
      [{ user: 'erin' }, 'token_tenant_not_allowed'],
      [{ user: 'alice', audience: 'https://graph.microsoft.com' }, 'token_audience_invalid'],
      [{ user: 'alice', expired: true }, 'token_expired'],
      [{ user: 'alice', forge: 'alg-none' }, 'token_algorithm_not_allowed'],
      [{ user: 'alice', forge: 'hs256-public-key' }, 'token_algorithm_not_allowed'],
      [{ user: 'alice', forge: 'unknown-kid' }, 'token_key_unknown'],
    ];
    const before = auditEvents().length;

    for (const [request, code] of cases) {
      const { response, body } = await askForCredentials(
        await tokenFor(request), { target: 'orders-prod' });
      expect(response.status, code).toBe(401);
      expect(body.code).toBe(code);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(auditEvents().slice(before).map((event) => event.reason_code))
      .toEqual(cases.map(([, code]) => code));
  });

  it('lets no Entra token past STS for a broker-only role', async () => {
    const sts = new STSClient({ endpoint: stack.sts.url, region: 'eu-west-1' });
    const direct = (token: string) => sts.send(new AssumeRoleWithWebIdentityCommand({
      RoleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
      RoleSessionName: 'direct',
      WebIdentityToken: token,
    }));

    await expect(direct(await tokenFor({ user: 'alice', version: 1 })))
      .rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(direct(await tokenFor({ user: 'carol', version: 1 })))
      .rejects.toMatchObject({ name: 'AccessDenied' });

    const carol = await askForCredentials(await tokenFor({ user: 'carol' }),
      { target: 'orders-prod' });
    expect(carol.body.code).toBe('no_grant');
  });

  it('opens every session with the person and the rule on it', async () => {
    await askForCredentials(await tokenFor({ app: 'billing-service' }),
      { target: 'inventory' });
    await askForCredentials(await tokenFor({ user: 'bob' }), { target: 'orders-prod' });

    const sessions = stack.sts.trail.filter((event) => !event.errorCode);
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const session of sessions) {
      const rule = String(session.userIdentity.userName).replace('rule/', '');
      expect(session.requestParameters?.principalTags).toMatchObject({ rule });
      expect(session.responseElements?.sourceIdentity).toMatch(/^[\w+=,.@-]{2,64}$/);
    }
    expect(sessions.map((session) => session.responseElements?.sourceIdentity))
      .toEqual(expect.arrayContaining([
        'app-f3773758-2772-49cf-9158-ea94c265b3bb',
        'bob_fabrikam.onmicrosoft.com',
      ]));
  });

  it('never writes a token to its logs', async () => {
    expect(secrets.length).toBeGreaterThan(8);
    const logs = apiLines.join('\n');
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      // A JWT's signature alone identifies it too (unsigned ones have none).
      const [, , signature] = secret.startsWith('eyJ') ? secret.split('.') : [];
      if (signature) expect(logs).not.toContain(signature);
    }
    // Nor any other JWT (the minted broker tokens) or signed database URL.
    expect(logs).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.|X-Amz-Signature|X-Amz-Security-Token/);
    // The minted broker tokens are named by jti, never shown.
    const issued = auditEvents().filter((event) => event.event === 'credential.issued');
    expect(issued[0]?.web_identity_jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwt(secrets[0]!).oid).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
  });
});
