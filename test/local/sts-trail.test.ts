import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import type { TrailEvent } from '../../local/sts/trail.js';
import { V1_ISSUER, checkedInAccount, roleArn, startIssuer, stsClient } from './sts-fixture.js';
import type { IssuerFixture } from './sts-fixture.js';

let issuer: IssuerFixture;
let sts: StsStandIn;
let dir: string;
let trailFile: string;

beforeAll(async () => {
  issuer = await startIssuer();
  dir = mkdtempSync(join(tmpdir(), 'sts-trail-'));
  trailFile = join(dir, 'nested', 'trail.jsonl');
  sts = await startStsStandIn({
    account: checkedInAccount(issuer),
    trailFile,
    region: 'eu-west-1',
  });
});

afterAll(async () => {
  await sts?.close();
  await issuer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function send(token: string, role = 'aurora-orders-reader', policy?: string) {
  return stsClient(sts.url).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn(role),
      RoleSessionName: 'audited',
      WebIdentityToken: token,
      DurationSeconds: 900,
      ...(policy && { Policy: policy }),
    }),
  );
}

function fileEvents(): TrailEvent[] {
  return readFileSync(trailFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrailEvent);
}

describe('the trail', () => {
  it('records a success in CloudTrail shape without token or secrets', async () => {
    const token = await issuer.mint({ sub: 'user-7' });
    const policy = '{"Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}';

    const out = await send(token, 'aurora-orders-reader', policy);

    const event = sts.trail.at(-1) as TrailEvent;
    expect(event).toMatchObject({
      eventVersion: '1.08',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${V1_ISSUER.slice(8)}:api://aurora-aad:user-7`,
        userName: 'user-7',
        identityProvider: V1_ISSUER.slice(8),
      },
      requestParameters: {
        roleArn: roleArn('aurora-orders-reader'),
        roleSessionName: 'audited',
        durationSeconds: 900,
        policy,
      },
      responseElements: {
        credentials: {
          accessKeyId: out.Credentials?.AccessKeyId,
          expiration: out.Credentials?.Expiration?.toISOString().replace('.000', ''),
        },
        assumedRoleUser: {
          arn: out.AssumedRoleUser?.Arn,
          assumedRoleId: out.AssumedRoleUser?.AssumedRoleId,
        },
        provider: V1_ISSUER,
        audience: 'api://aurora-aad',
        subjectFromWebIdentityToken: 'user-7',
      },
      requestID: out.$metadata.requestId,
    });
    expect(event.userAgent).toContain('aws-sdk-js');
    expect(event.eventID).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.errorCode).toBeUndefined();

    const written = JSON.stringify(event);
    expect(written).not.toContain(token);
    expect(written).not.toContain(out.Credentials?.SecretAccessKey);
    expect(written).not.toContain(out.Credentials?.SessionToken);
  });

  it('records a refusal with its code and message', async () => {
    const token = await issuer.mint({});

    await send(token, 'aurora-untrusted').catch(() => undefined);

    const event = sts.trail.at(-1) as TrailEvent;
    expect(event.errorCode).toBe('AccessDenied');
    expect(event.errorMessage).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(event.responseElements).toBeNull();
    expect(event.requestParameters?.roleArn).toBe(roleArn('aurora-untrusted'));
    expect(JSON.stringify(event)).not.toContain(token);
  });

  it('records an unverified token without trusting its claims', async () => {
    const token = await issuer.mint({ sub: 'forged' }, { key: 'unpublished' });

    await send(token).catch(() => undefined);

    const event = sts.trail.at(-1) as TrailEvent;
    expect(event.errorCode).toBe('InvalidIdentityToken');
    expect(event.userIdentity).toEqual({ type: 'WebIdentityUser' });
    expect(JSON.stringify(event)).not.toContain(token);
  });

  it('records session tags and source identity the token asked for', async () => {
    const token = await issuer.mint({
      'https://aws.amazon.com/tags': { principal_tags: { team: ['orders'] } },
      'https://aws.amazon.com/source_identity': 'person-alice',
    });

    await send(token).catch(() => undefined);

    const event = sts.trail.at(-1) as TrailEvent;
    expect(event.errorCode).toBe('AccessDenied');
    expect(event.requestParameters).toMatchObject({
      sourceIdentity: 'person-alice',
      principalTags: { team: 'orders' },
    });
  });

  it('appends one JSON line per decision to the trail file', async () => {
    const lines = fileEvents();

    expect(lines).toEqual(sts.trail);
    const text = readFileSync(trailFile, 'utf8');
    expect(text).not.toMatch(/"secretAccessKey"|"sessionToken"|"webIdentityToken"/i);
    expect(text).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\./);
  });
});
