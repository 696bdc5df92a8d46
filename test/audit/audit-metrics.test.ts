import { Logger } from '@aws-lambda-powertools/logger';
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFieldNames } from '../../shared/audit/audit-fields.js';
import { AuditTrail } from '../../shared/audit/audit-trail.js';
import { unverifiedTokenHints } from '../../shared/audit/unverified-hints.js';
import { metrics } from '../../shared/telemetry/metrics.js';
import {
  countedJwksFetch,
  timeStsCall,
} from '../../shared/telemetry/upstream-metrics.js';
import { captureStdout } from '../support/captured-stdout.js';

interface EmfLine {
  _aws: { CloudWatchMetrics: Array<{ Namespace: string;
    Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  [key: string]: unknown;
}

let stdout: ReturnType<typeof captureStdout>;

function emfLines(): EmfLine[] {
  return stdout.lines.filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

function unsignedToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' })
    .sign(new Uint8Array(32));
}

beforeEach(() => {
  stdout = captureStdout();
  metrics.clearMetrics();
});

afterEach(() => stdout.restore());

describe('the audit event', () => {
  it('carries only the fields of the schema, and all of them when known',
    () => {
      const trail = new AuditTrail('credential', { request_id: 'r-1',
        source_ip: '192.0.2.10', user_agent: 'psql' });
      const setAtEnd = ['event', 'reason_code', 'status', 'route', 'duration_ms'];
      trail.record(Object.fromEntries(auditFieldNames
        .filter((field) => !setAtEnd.includes(field))
        .map((field) => [field, 'x'])));

      const event = trail.write(new Logger({ serviceName: 'aurora-aad' }),
        200, 'ok', 'issued');

      expect(Object.keys(event ?? {}).sort())
        .toEqual([...auditFieldNames].sort());
      const line = stdout.auditEvents()[0] ?? {};
      for (const field of auditFieldNames) expect(line).toHaveProperty(field);
    });
});

describe('the metrics', () => {
  it('count a refusal in total and under its reason code', () => {
    new AuditTrail('credential', { request_id: 'r-2', source_ip: undefined,
      user_agent: undefined })
      .write(new Logger({ serviceName: 'aurora-aad' }), 403, 'no_grant',
        'issued');
    metrics.publishStoredMetrics();

    const [byReason, stored] = emfLines();
    expect(byReason?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'aurora-aad',
      Metrics: [{ Name: 'DeniedByReason', Unit: 'Count' }],
    });
    expect(byReason?._aws.CloudWatchMetrics[0]?.Dimensions[0])
      .toEqual(expect.arrayContaining(['service', 'stage', 'reason_code']));
    expect(byReason).toMatchObject({ reason_code: 'no_grant',
      service: 'aurora-aad', stage: 'local', DeniedByReason: 1 });
    expect(stored).toMatchObject({ Requests: 1, Denied: 1,
      service: 'aurora-aad', stage: 'local' });
    expect(stored).not.toHaveProperty('CredentialsIssued');
  });

  it('count an issued credential', () => {
    new AuditTrail('credential', { request_id: 'r-3', source_ip: undefined,
      user_agent: undefined })
      .write(new Logger({ serviceName: 'aurora-aad' }), 200, 'ok', 'issued');
    metrics.publishStoredMetrics();

    expect(emfLines()).toHaveLength(1);
    expect(emfLines()[0]).toMatchObject({ Requests: 1, CredentialsIssued: 1 });
  });

  it('time an STS call and count its failure', async () => {
    await timeStsCall(async () => 'session');
    await expect(timeStsCall(async () => {
      throw new Error('Throttling');
    })).rejects.toThrow('Throttling');
    metrics.publishStoredMetrics();

    const line = emfLines()[0];
    expect(line).toMatchObject({ StsCalls: [1, 1], StsFailures: 1 });
    expect(line?.StsLatency).toHaveLength(2);
    expect(line?._aws.CloudWatchMetrics[0]?.Metrics)
      .toContainEqual({ Name: 'StsLatency', Unit: 'Milliseconds' });
  });

  it('count key-set fetches and the failed ones', async () => {
    const fetchKeys = countedJwksFetch(async (url) =>
      new Response('{}', { status: url.endsWith('/down') ? 503 : 200 }));
    const options = { headers: new Headers(), method: 'GET' as const,
      redirect: 'manual' as const, signal: AbortSignal.timeout(1000) };

    await fetchKeys('http://127.0.0.1/keys', options);
    await fetchKeys('http://127.0.0.1/down', options);
    await expect(countedJwksFetch(async () => {
      throw new TypeError('fetch failed');
    })('http://127.0.0.1/keys', options)).rejects.toThrow('fetch failed');
    metrics.publishStoredMetrics();

    expect(emfLines()[0]).toMatchObject({ JwksFetches: [1, 1, 1],
      JwksFailures: [1, 1] });
  });
});

describe('the unverified hints of a refused token', () => {
  it('name the tenant and audience of a token from another tenant',
    async () => {
      const token = await unsignedToken({ tid: 'f00dcafe-0000-4000-8000-000000000001',
        aud: ['api://other-api', 'x'] });

      expect(unverifiedTokenHints('token_tenant_not_allowed', `Bearer ${token}`))
        .toEqual({ unverified_tid: 'f00dcafe-0000-4000-8000-000000000001',
          unverified_aud: 'api://other-api' });
    });

  it('are empty for other refusals', async () => {
    const token = await unsignedToken({ tid: 't', aud: 'a' });

    expect(unverifiedTokenHints('token_expired', `Bearer ${token}`)).toEqual({});
    expect(unverifiedTokenHints('token_audience_invalid', 'Bearer junk'))
      .toEqual({});
  });

  it('drop claim values that are not short plain strings', async () => {
    const token = await unsignedToken({ tid: 'a"b\nc', aud: 'x'.repeat(500) });

    expect(unverifiedTokenHints('token_audience_invalid', `Bearer ${token}`))
      .toEqual({});
  });
});
