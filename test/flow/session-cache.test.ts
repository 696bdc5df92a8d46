import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { jwksDocument } from '../../shared/broker/oidc-documents.js';
import { fileSigningKey } from '../../shared/broker/signing-key.js';
import { trustPolicies } from '../../shared/broker/trust-policy.js';
import { loadMapping } from '../../shared/config/mapping.js';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';
import { parseAccount } from '../../local/sts/account.js';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import { brokerKeyFile } from '../support/broker-key.js';
import { captureStdout } from '../support/captured-stdout.js';
import { httpApiEvent, lambdaContext } from '../support/lambda-events.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) =>
  Promise<APIGatewayProxyStructuredResultV2>;

const reader = { target: 'orders-prod', dbUser: 'app_reader' };
const writer = { target: 'orders-prod', dbUser: 'app_writer' };
const accountYaml = readFileSync(
  new URL('../../local/sts/aws.yaml', import.meta.url), 'utf8');

let entra: EntraStandIn;
let stdout: ReturnType<typeof captureStdout>;

// The exported handler, loaded afresh (a new cold start) with `env`.
async function coldHandler(env: Record<string, string>): Promise<Handler> {
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    MAPPING_FILE: 'config/mapping.yaml',
    ENTRA_AUTHORITY_HOST: entra.url,
    TOKEN_FINGERPRINT_KEY: 'session-cache-flow-key-0123456789',
    POWERTOOLS_SERVICE_NAME: 'aurora-aad',
    ...env,
  });
  vi.resetModules();
  const loaded = await import('../../functions/credentials.js');
  return loaded.handler as unknown as Handler;
}

async function post(handler: Handler, token: string, body: object) {
  const response = await handler(httpApiEvent({
    method: 'POST',
    path: '/v1/credentials',
    headers: { authorization: `Bearer ${token}`,
      'content-type': 'application/json' },
    body: JSON.stringify(body),
  }), lambdaContext('credentials'));
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
}

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

beforeEach((context) => {
  stdout = captureStdout();
  context.onTestFinished(() => stdout.restore());
});

describe('the STS session cache, pass-through mode', () => {
  let sts: StsStandIn;
  let handler: Handler;

  beforeAll(async () => {
    sts = await startStsStandIn({
      account: parseAccount(accountYaml, { entra: entra.url }),
    });
    handler = await coldHandler({
      STS_ENDPOINT_URL: sts.url,
      WEB_IDENTITY_MODE: 'pass-through',
      STS_SESSION_CACHE_SIZE: '100',
    });
  });

  afterAll(async () => {
    await sts.close();
  });

  it('calls STS once for a caller asking again with a new token', async () => {
    const before = sts.stats.requests;

    const first = await post(handler, await entra.issueToken({ user: 'alice' }),
      reader);
    const second = await post(handler, await entra.issueToken({ user: 'alice' }),
      reader);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sts.stats.requests - before).toBe(1);
    const accessKey = (token: string) => new URLSearchParams(token.split('/?')[1])
      .get('X-Amz-Credential')?.split('/')[0];
    expect(accessKey(second.body.token)).toBe(accessKey(first.body.token));
    const [missed, hit] = stdout.auditEvents();
    expect(missed).toMatchObject({ event: 'credential.issued', sts_cache: 'miss' });
    expect(hit).toMatchObject({ event: 'credential.issued', sts_cache: 'hit',
      sts_request_id: missed?.sts_request_id });
    expect(Date.parse(second.body.expiresAt)).toBeLessThanOrEqual(
      Date.parse(first.body.expiresAt));
  });

  it('makes one STS call for 20 concurrent requests of one caller', async () => {
    const token = await entra.issueToken({ user: 'alice' });
    const before = sts.stats.requests;

    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      post(handler, token, writer)));

    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(sts.stats.requests - before).toBe(1);
    const outcomes = stdout.auditEvents().map((event) => event.sts_cache);
    expect(outcomes.filter((outcome) => outcome === 'miss')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'hit')).toHaveLength(19);
  });

  it('gives each caller and each token version its own session', async () => {
    const before = sts.stats.requests;

    const bob = await post(handler, await entra.issueToken({ user: 'bob' }),
      { target: 'orders-prod' });
    const aliceV1 = await post(handler,
      await entra.issueToken({ user: 'alice', version: 1 }), reader);

    expect([bob.status, aliceV1.status]).toEqual([200, 200]);
    expect(sts.stats.requests - before).toBe(2);
    expect(stdout.auditEvents().map((event) => event.sts_cache))
      .toEqual(['miss', 'miss']);
    const keyIds = [bob.body.token, aliceV1.body.token].map((token: string) =>
      new URLSearchParams(token.split('/?')[1]).get('X-Amz-Credential'));
    expect(new Set(keyIds).size).toBe(2);
  });

  it('keeps no failed STS call: the next request calls STS again', async () => {
    sts.injectFault({ code: 'AccessDenied', status: 403,
      message: 'Not authorized', count: 1 });
    const token = await entra.issueToken({ app: 'billing-service' });
    const before = sts.stats.requests;

    const refused = await post(handler, token, { target: 'orders-prod' });
    const issued = await post(handler, token, { target: 'orders-prod' });

    expect(refused.status).toBe(502);
    expect(issued.status).toBe(200);
    expect(sts.stats.requests - before).toBe(2);
    expect(stdout.auditEvents().map((event) => event.sts_cache))
      .toEqual(['miss', 'miss']);
  });
});

describe('the STS session cache, broker mode', () => {
  let sts: StsStandIn;
  let jwks: Server;
  let handler: Handler;

  beforeAll(async () => {
    const keyFile = brokerKeyFile();
    const keys = await jwksDocument([fileSigningKey(keyFile)]);
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(keys));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    sts = await startStsStandIn({ account: brokerAccount(issuer) });
    handler = await coldHandler({
      STS_ENDPOINT_URL: sts.url,
      WEB_IDENTITY_MODE: 'broker',
      BROKER_ISSUER: issuer,
      BROKER_KEY_FILE: keyFile,
      STS_SESSION_CACHE_SIZE: '100',
    });
  });

  afterAll(async () => {
    await sts.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('mints no web identity token when the cache answers', async () => {
    const before = sts.stats.requests;

    const first = await post(handler, await entra.issueToken({ user: 'alice' }),
      reader);
    const second = await post(handler, await entra.issueToken({ user: 'alice' }),
      reader);

    expect([first.status, second.status]).toEqual([200, 200]);
    expect(sts.stats.requests - before).toBe(1);
    const [missed, hit] = stdout.auditEvents();
    expect(missed?.sts_cache).toBe('miss');
    expect(missed?.web_identity_jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit?.sts_cache).toBe('hit');
    expect(hit?.web_identity_jti).toBeUndefined();
  });
});

// local/sts/aws.yaml plus the broker's issuer, with every mapped role
// trusting only the broker's tokens for its own grants.
function brokerAccount(issuer: string) {
  const file = parseYaml(accountYaml) as {
    oidcProviders: object[];
    roles: Array<{ name: string }>;
  };
  const broker = { issuer, audience: 'sts.amazonaws.com' };
  const mapped = trustPolicies(loadMapping('config/mapping.yaml'), broker);
  const names = new Set(mapped.map(({ roleArn }) => roleArn.split('/').pop()));
  return parseAccount(stringify({
    ...file,
    oidcProviders: [...file.oidcProviders, { url: issuer,
      clientIds: [broker.audience], jwksUri: `${issuer}/.well-known/jwks.json` }],
    roles: [
      ...file.roles.filter((role) => !names.has(role.name)),
      ...mapped.map(({ roleArn, trustPolicy }) => ({
        name: roleArn.split('/').pop(), maxSessionDuration: 3600, trustPolicy,
      })),
    ],
  }), { entra: entra.url }, 'broker-mode account');
}
