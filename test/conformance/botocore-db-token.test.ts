import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadMapping } from '../../shared/config/mapping.js';
import { signDbToken } from '../../shared/rds/sign-db-token.js';
import type { AssumedSession } from '../../shared/sts/assume-grant-role.js';
import { debianPython, requirePeer } from '../support/debian-peers.js';

const script = 'test/conformance/botocore-db-token.py';
const mapping = loadMapping('config/mapping.yaml');

// Credentials of the shape STS issues; they sign, they grant nothing.
const session: AssumedSession = {
  accessKeyId: 'ASIAQ3EXAMPLE7KEY2AB',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQ=',
  expiration: new Date('2026-12-04T12:15:00Z'),
  stsRequestId: undefined,
};

function botocoreTokens(cases: object[]): Array<{ token: string }> {
  requirePeer(debianPython, 'python3-botocore');
  const output = execFileSync(debianPython, [script], {
    input: cases.map((c) => JSON.stringify(c)).join('\n'),
    env: { PATH: '/usr/bin:/bin', HOME: '/tmp', AWS_EC2_METADATA_DISABLED: 'true' },
  }).toString();
  return output.trim().split('\n').map((line) => JSON.parse(line));
}

function params(token: string) {
  const [address, query] = token.split('/?');
  return { address, query: Object.fromEntries(new URLSearchParams(query)) };
}

describe('database tokens against botocore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carry the signature botocore computes for every target', async () => {
    const at = new Date('2026-12-04T12:00:07Z');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at);

    const cases = Object.values(mapping.targets).flatMap((target) =>
      ['app_reader', 'Mixed_Case_User'].map((dbUser) => ({ target, dbUser })));
    const ours = [];
    for (const { target, dbUser } of cases) {
      ours.push((await signDbToken(session, target, dbUser)).token);
    }
    const theirs = botocoreTokens(cases.map(({ target, dbUser }) => ({
      hostname: target.host,
      port: target.port,
      username: dbUser,
      region: target.region,
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
      date: '20261204T120007Z',
    })));

    expect(ours).toHaveLength(4);
    ours.forEach((token, index) => {
      const mine = params(token);
      const reference = params(theirs[index]!.token);
      expect(mine.address).toBe(reference.address);
      expect(mine.query).toEqual(reference.query);
      expect(mine.query['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
      expect(mine.query['X-Amz-Date']).toBe('20261204T120007Z');
    });
  });

  it('differ from botocore\'s when the time differs by a second', async () => {
    const target = mapping.targets['orders-prod']!;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T12:00:08Z'));

    const mine = params((await signDbToken(session, target, 'app_reader')).token);
    const [reference] = botocoreTokens([{
      hostname: target.host, port: target.port, username: 'app_reader',
      region: target.region, accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken, date: '20261204T120007Z',
    }]);

    expect(mine.query['X-Amz-Signature'])
      .not.toBe(params(reference!.token).query['X-Amz-Signature']);
  });

  it('expire at the credentials\' expiry when that comes first', async () => {
    const target = mapping.targets['orders-prod']!;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T12:10:00Z'));

    const signed = await signDbToken(session, target, 'app_reader');

    expect(signed.signedAt.toISOString()).toBe('2026-12-04T12:10:00.000Z');
    expect(signed.expiresAt.toISOString()).toBe('2026-12-04T12:15:00.000Z');
    expect(signed.refreshAfter.toISOString()).toBe('2026-12-04T12:13:20.000Z');
  });

  it('expire 15 minutes after signing with fresh credentials', async () => {
    const target = mapping.targets['orders-prod']!;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T11:50:00Z'));

    const signed = await signDbToken({
      ...session, expiration: new Date('2026-12-04T13:00:00Z'),
    }, target, 'app_reader');

    expect(signed.expiresAt.toISOString()).toBe('2026-12-04T12:05:00.000Z');
    expect(signed.refreshAfter.toISOString()).toBe('2026-12-04T12:00:00.000Z');
  });
});
