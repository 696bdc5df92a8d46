import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { DevTokenRequest, EntraStandIn } from '../../local/entra/server.js';
import { loadAccount } from '../../local/sts/account.js';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import { captureStdout } from '../support/captured-stdout.js';
import { httpApiEvent, lambdaContext } from '../support/lambda-events.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) =>
  Promise<APIGatewayProxyStructuredResultV2>;

const carol = '6584aa7d-979e-4433-9089-f7cb882be6b8';
let entra: EntraStandIn;
let sts: StsStandIn;
let credentials: Handler;
let targets: Handler;
let stdout: ReturnType<typeof captureStdout>;

// The shipped mapping plus one rule whose role STS will not let anyone
// assume: the way a misconfigured trust policy looks from the API.
function mappingWithUntrustedRole(): string {
  const directory = mkdtempSync(join(tmpdir(), 'aurora-aad-'));
  const file = join(directory, 'mapping.yaml');
  writeFileSync(file, `${readFileSync('config/mapping.yaml', 'utf8')}
  - id: carol-untrusted
    when: { principals: [ ${carol} ] }
    grant:
      target: inventory
      dbUser: inventory_reader
      roleArn: arn:aws:iam::111122223333:role/aurora-untrusted
`);
  return file;
}

beforeAll(async () => {
  entra = await startEntraStandIn();
  sts = await startStsStandIn({
    account: loadAccount(undefined, { entra: entra.url }),
  });
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    MAPPING_FILE: mappingWithUntrustedRole(),
    ENTRA_AUTHORITY_HOST: entra.url,
    STS_ENDPOINT_URL: sts.url,
    TOKEN_FINGERPRINT_KEY: 'flow-test-fingerprint-key-0123456789',
    // Broker mode has flow tests of its own; these run pass-through.
    WEB_IDENTITY_MODE: 'pass-through',
    STS_TIMEOUT_MS: '300',
    // These tests count STS calls per request; the session cache has its
    // own flow tests (test/flow/session-cache.test.ts).
    STS_SESSION_CACHE_SIZE: '0',
    POWERTOOLS_SERVICE_NAME: 'aurora-aad',
  });
  credentials = (await import('../../functions/credentials.js')).handler as unknown as Handler;
  targets = (await import('../../functions/targets.js')).handler as unknown as Handler;
});

afterAll(async () => {
  await Promise.all([entra.close(), sts.close()]);
});

beforeEach((context) => {
  stdout = captureStdout();
  context.onTestFinished(() => stdout.restore());
});

async function post(
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  const event = httpApiEvent({
    method: 'POST',
    path: '/v1/credentials',
    headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const response = await credentials(event, lambdaContext('credentials'));
  return { response, body: JSON.parse(String(response.body)), event };
}

async function tokenFor(request: DevTokenRequest): Promise<string> {
  return entra.issueToken(request);
}

function theOnlyAuditEvent() {
  const events = stdout.auditEvents();
  expect(events).toHaveLength(1);
  return events[0]!;
}

function expectNoSecretIn(lines: string[], ...secrets: string[]) {
  const logs = lines.join('\n');
  for (const secret of secrets) {
    expect(logs).not.toContain(secret);
    // A JWT's signature alone identifies it too.
    const [, , signature] = secret.startsWith('eyJ') ? secret.split('.') : [];
    if (signature) expect(logs).not.toContain(signature);
  }
}

describe('POST /v1/credentials', () => {
  it('issues a token for the granted target, end to end', async () => {
    const token = await tokenFor({ user: 'alice' });
    const startedAt = Date.now();

    const { response, body, event } = await post(token,
      { target: 'orders-prod', dbUser: 'app_reader' });

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(body).toMatchObject({
      target: 'orders-prod',
      dbUser: 'app_reader',
      roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
      sessionName: 'alice.c87be44a-faf5-4c45-addf-91578618fbca',
      connection: {
        host: 'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com',
        port: 5432,
        engine: 'postgres',
        database: 'orders',
        region: 'eu-west-1',
        tls: {
          required: true,
          caBundleUrl: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
        },
      },
    });
    const query = new URLSearchParams(body.token.split('/?')[1]);
    expect(body.token.startsWith(
      'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com:5432/?')).toBe(true);
    expect(query.get('Action')).toBe('connect');
    expect(query.get('DBUser')).toBe('app_reader');
    expect(query.get('X-Amz-Expires')).toBe('900');
    expect(query.get('X-Amz-Credential')).toMatch(
      /^ASIA[A-Z0-9]{16}\/\d{8}\/eu-west-1\/rds-db\/aws4_request$/);

    const expiresAt = Date.parse(body.expiresAt);
    const refreshAfter = Date.parse(body.refreshAfter);
    expect(expiresAt).toBeGreaterThan(startedAt);
    expect(expiresAt).toBeLessThanOrEqual(startedAt + 900_000 + 1000);
    expect(refreshAfter).toBeLessThan(expiresAt);
    expect(refreshAfter).toBeGreaterThan(startedAt);

    const audit = theOnlyAuditEvent();
    expect(audit).toMatchObject({
      event: 'credential.issued',
      reason_code: 'ok',
      status: 200,
      request_id: event.requestContext.requestId,
      source_ip: '192.0.2.10',
      user_agent: 'flow-test/1.0',
      tid: 'cfe917f4-2d4b-4269-87e5-caaf86008490',
      oid: 'c87be44a-faf5-4c45-addf-91578618fbca',
      principal_type: 'user',
      display_name: 'alice@contoso.onmicrosoft.com',
      token_version: '2.0',
      target: 'orders-prod',
      db_user: 'app_reader',
      role_arn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
      session_name: body.sessionName,
      matched_rule: 'orders-readers',
      expires_at: body.expiresAt,
    });
    expect(audit.token_fingerprint).toMatch(/^[\w-]{22}$/);
    expect(audit.sts_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof audit.duration_ms).toBe('number');
    expectNoSecretIn(stdout.lines, token, body.token,
      query.get('X-Amz-Signature')!, query.get('X-Amz-Security-Token')!);
  });

  it('narrows the STS session to the granted database user', async () => {
    const token = await tokenFor({ user: 'alice' });
    const before = sts.trail.length;

    await post(token, { target: 'orders-prod', dbUser: 'app_writer' });

    const [call] = sts.trail.slice(before);
    expect(call).toMatchObject({
      eventName: 'AssumeRoleWithWebIdentity',
      requestParameters: {
        roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-writer',
        roleSessionName: 'alice.c87be44a-faf5-4c45-addf-91578618fbca',
        durationSeconds: 900,
      },
    });
    expect(call?.errorCode).toBeUndefined();
  });

  it('issues for a v1 token, a guest and an app-only caller', async () => {
    const v1 = await post(await tokenFor({ user: 'alice', version: 1 }),
      { target: 'orders-prod', dbUser: 'app_reader' });
    const guest = await post(await tokenFor({ user: 'bob' }),
      { target: 'orders-prod' });
    const app = await post(await tokenFor({ app: 'billing-service' }),
      { target: 'inventory' });

    expect(v1.response.statusCode).toBe(200);
    expect(guest.response.statusCode).toBe(200);
    expect(guest.body.sessionName).toBe(
      'bob_fabrikam.onmicrosoft.afc92fc8-7e6b-47a1-af8a-2675aaba973d');
    expect(app.response.statusCode).toBe(200);
    expect(app.body).toMatchObject({
      dbUser: 'inventory_writer',
      sessionName: 'app.f3773758-2772-49cf-9158-ea94c265b3bb',
    });
    expect(stdout.auditEvents().map((event) => event.principal_type))
      .toEqual(['user', 'user', 'app']);
  });

  it('asks which database user when several are granted', async () => {
    const { response, body } = await post(await tokenFor({ user: 'alice' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(400);
    expect(body).toMatchObject({
      code: 'db_user_required',
      dbUsers: ['app_writer', 'app_reader'],
    });
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'credential.denied', reason_code: 'db_user_required',
    });
  });

  it('refuses a caller without a grant, auditing who asked', async () => {
    const { response, body } = await post(await tokenFor({ user: 'carol' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(403);
    expect(body.code).toBe('no_grant');
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'credential.denied',
      reason_code: 'no_grant',
      oid: carol,
      target: 'orders-prod',
    });
  });

  it('refuses a group overage with its own code', async () => {
    const { response, body } = await post(await tokenFor({ user: 'dave' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(403);
    expect(body.code).toBe('groups_overage');
    expect(theOnlyAuditEvent().reason_code).toBe('groups_overage');
  });

  it('answers 502 naming the role when STS refuses it', async () => {
    const { response, body } = await post(await tokenFor({ user: 'carol' }),
      { target: 'inventory' });

    expect(response.statusCode).toBe(502);
    expect(body.code).toBe('sts_access_denied');
    expect(body.detail).toContain('arn:aws:iam::111122223333:role/aurora-untrusted');
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'credential.error',
      reason_code: 'sts_access_denied',
      sts_error_code: 'AccessDenied',
      role_arn: 'arn:aws:iam::111122223333:role/aurora-untrusted',
    });
  });

  it('answers 503 with Retry-After when STS keeps throttling', async () => {
    // STS_MAX_ATTEMPTS is 3: every attempt is throttled.
    sts.injectFault({ code: 'Throttling', status: 400, message: 'Rate exceeded', count: 3 });
    const requestsBefore = sts.stats.requests;

    const { response, body } = await post(await tokenFor({ user: 'bob' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
    expect(body.code).toBe('sts_unavailable');
    expect(sts.stats.requests - requestsBefore).toBe(3);
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'credential.error', reason_code: 'sts_unavailable',
    });
  });

  it('answers 503 when STS hangs, within the attempts\' timeouts', async () => {
    sts.injectFault({ kind: 'hang', count: 3 });

    const { response, body } = await post(await tokenFor({ user: 'bob' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(503);
    expect(body.code).toBe('sts_unavailable');
    expect(theOnlyAuditEvent()).toMatchObject({ reason_code: 'sts_unavailable' });
  });

  it('answers 503 when STS drops the connection', async () => {
    sts.injectFault({ kind: 'reset', count: 3 });

    const { response, body } = await post(await tokenFor({ user: 'bob' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(503);
    expect(body.code).toBe('sts_unavailable');
  });

  it('recovers from one throttled STS answer by retrying', async () => {
    sts.injectFault({ code: 'Throttling', status: 400, message: 'Rate exceeded', count: 1 });

    const { response } = await post(await tokenFor({ user: 'bob' }),
      { target: 'orders-prod' });

    expect(response.statusCode).toBe(200);
  });
});

describe('POST /v1/credentials with bad input', () => {
  it.each([
    ['no token', undefined, { 'content-type': 'application/json' }, 401,
      'token_missing'],
    ['a non-JSON content type', 'alice', { 'content-type': 'text/plain' }, 415,
      'unsupported_media_type'],
    ['no token before looking at the body', undefined,
      { 'content-type': 'text/plain' }, 401, 'token_missing'],
  ])('refuses %s', async (_, user, headers, status, code) => {
    const token = user ? await tokenFor({ user }) : undefined;

    const { response, body } = await post(token, { target: 'orders-prod' },
      headers as Record<string, string>);

    expect(response.statusCode).toBe(status);
    expect(body.code).toBe(code);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(theOnlyAuditEvent().reason_code).toBe(code);
  });

  it.each([
    ['broken JSON', '{"target": '],
    ['a JSON array', '["orders-prod"]'],
    ['a missing target', '{}'],
    ['an unknown field', '{"target":"orders-prod","role":"admin"}'],
    ['a prototype-polluting key', '{"__proto__":{"admin":true},"target":"x"}'],
    ['a target of the wrong type', '{"target": 42}'],
  ])('answers request_body_invalid for %s', async (_, raw) => {
    const token = await tokenFor({ user: 'alice' });

    const { response, body } = await post(token, raw);

    expect(response.statusCode).toBe(400);
    expect(body.code).toBe('request_body_invalid');
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'credential.denied', reason_code: 'request_body_invalid',
    });
  });

  it.each([
    ['no body at all', undefined],
    ['a null body (as some gateways send it)', null],
    ['an empty body', ''],
  ])('answers request_body_invalid for %s', async (_, raw) => {
    const event = httpApiEvent({
      method: 'POST', path: '/v1/credentials',
      headers: { 'content-type': 'application/json',
        authorization: `Bearer ${await tokenFor({ user: 'alice' })}` },
    });
    (event as { body?: string | null }).body = raw;

    const response = await credentials(event, lambdaContext('credentials'));

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).code).toBe('request_body_invalid');
    expect(theOnlyAuditEvent().reason_code).toBe('request_body_invalid');
  });

  it('keeps tokens and control characters out of the logged User-Agent', async () => {
    const token = await tokenFor({ user: 'carol' });

    await post(token, { target: 'orders-prod' }, {
      'content-type': 'application/json',
      'user-agent': `ua-${token} \u202e\u0000${'x'.repeat(8000)}`,
    });

    const audit = theOnlyAuditEvent();
    expect(String(audit.user_agent)).toMatch(/^ua-\[redacted\] \?\?x+…$/);
    expect(String(audit.user_agent).length).toBeLessThanOrEqual(257);
    expectNoSecretIn(stdout.lines, token);
  });

  it('refuses a body over 8 KiB before parsing it', async () => {
    const token = await tokenFor({ user: 'alice' });

    const { response, body } = await post(token,
      JSON.stringify({ target: 'x'.repeat(9000) }));

    expect(response.statusCode).toBe(413);
    expect(body.code).toBe('request_too_large');
  });

  it('never echoes a token that arrives in the body', async () => {
    const token = await tokenFor({ user: 'alice' });

    const { body } = await post(token, JSON.stringify({ target: token }));

    expect(body.code).toBe('request_body_invalid');
    expect(JSON.stringify(body)).not.toContain(token.split('.')[2]);
    expectNoSecretIn(stdout.lines, token);
  });

  it('answers 401 with an RFC 6750 challenge for an expired token', async () => {
    const { response, body } = await post(
      await tokenFor({ user: 'alice', expired: true }), { target: 'orders-prod' });

    expect(response.statusCode).toBe(401);
    expect(body.code).toBe('token_expired');
    expect(response.headers?.['www-authenticate']).toContain('error="invalid_token"');
  });
});

describe('GET /v1/targets', () => {
  async function list(token: string) {
    const response = await targets(httpApiEvent({
      method: 'GET', path: '/v1/targets',
      headers: { authorization: `Bearer ${token}` },
    }), lambdaContext('targets'));
    return { response, body: JSON.parse(String(response.body)) };
  }

  it('lists the caller\'s targets and users without tokens', async () => {
    const { response, body } = await list(await tokenFor({ user: 'alice' }));

    expect(response.statusCode).toBe(200);
    expect(body.targets).toEqual([{
      target: 'orders-prod',
      dbUsers: ['app_writer', 'app_reader'],
      connection: expect.objectContaining({ host:
        'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com', port: 5432 }),
    }]);
    expect(JSON.stringify(body)).not.toContain('X-Amz');
    expect(theOnlyAuditEvent()).toMatchObject({
      event: 'targets.listed', reason_code: 'ok',
    });
  });

  it('lists only what the caller\'s rules grant', async () => {
    const { body } = await list(await tokenFor({ user: 'carol' }));

    expect(body.targets).toEqual([{
      target: 'inventory', dbUsers: ['inventory_reader'],
      connection: expect.objectContaining({ engine: 'mysql' }),
    }]);
  });

  it('refuses an overage caller rather than listing part of the truth', async () => {
    const { response, body } = await list(await tokenFor({ user: 'dave' }));

    expect(response.statusCode).toBe(403);
    expect(body.code).toBe('groups_overage');
  });
});
