import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import { checkedInAccount, roleArn, startIssuer, stsClient } from './sts-fixture.js';
import type { IssuerFixture } from './sts-fixture.js';

let issuer: IssuerFixture;
let sts: StsStandIn;

beforeAll(async () => {
  issuer = await startIssuer();
  sts = await startStsStandIn({ account: checkedInAccount(issuer) });
});

afterAll(async () => {
  await sts?.close();
  await issuer?.close();
});

async function assume(options: { maxAttempts?: number; requestTimeout?: number } = {}) {
  return stsClient(sts.url, options).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn('aurora-orders-reader'),
      RoleSessionName: 'fault-test',
      WebIdentityToken: await issuer.mint({}),
    }),
  );
}

async function failure(promise: Promise<unknown>) {
  return (await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  )) as Error & { code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
}

describe('fault injection', () => {
  it('answers Throttling the way STS does', async () => {
    sts.injectFault({ code: 'Throttling', status: 400, count: 1 });

    const error = await failure(assume());

    expect(error.name).toBe('Throttling');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('lets the SDK retry through throttling and then succeed', async () => {
    sts.injectFault({ code: 'Throttling', status: 400, count: 2 });

    const out = await assume({ maxAttempts: 3 });

    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.$metadata.attempts).toBe(3);
  });

  it('answers a staged server error with its status and message', async () => {
    sts.injectFault({
      code: 'ServiceUnavailable',
      status: 503,
      message: 'Down for a test',
      count: 1,
    });

    const error = await failure(assume());

    expect(error.name).toBe('ServiceUnavailable');
    expect(error.message).toBe('Down for a test');
    expect(error.$metadata?.httpStatusCode).toBe(503);
  });

  it('resets the connection for a reset fault', async () => {
    sts.injectFault({ kind: 'reset', count: 1 });

    const error = await failure(assume());

    expect(error.code ?? error.name).toMatch(/ECONNRESET|socket hang up/i);
  });

  it('leaves a hung request unanswered until the client gives up', async () => {
    sts.injectFault({ kind: 'hang', count: 1 });

    const error = await failure(assume({ requestTimeout: 300 }));

    expect(error.name).toBe('TimeoutError');
  });

  it('runs staged faults in order and counts every request', async () => {
    const before = sts.stats.requests;
    sts.injectFault({ code: 'Throttling', status: 400, count: 1 });
    sts.injectFault({ code: 'InternalFailure', status: 500, count: 1 });

    expect((await failure(assume())).name).toBe('Throttling');
    expect((await failure(assume())).name).toBe('InternalFailure');
    expect((await assume()).Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(sts.stats.requests - before).toBe(3);
  });

  it('refuses a fault without a positive count', () => {
    expect(() => sts.injectFault({ kind: 'reset', count: 0 })).toThrow(RangeError);
  });

  it('closes while a request hangs', async () => {
    const own = await startStsStandIn({ account: checkedInAccount(issuer) });
    own.injectFault({ kind: 'hang', count: 1 });
    const pending = fetch(own.url, { method: 'POST' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await own.close();

    expect(await pending).toBeInstanceOf(Error);
  });
});
