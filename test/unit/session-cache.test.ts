import { describe, expect, it } from 'vitest';
import type { Grant } from '../../shared/grants/grants-for.js';
import type { Caller } from '../../shared/identity/caller.js';
import type { AssumedSession } from '../../shared/sts/assume-grant-role.js';
import { SessionCache, sessionKey } from '../../shared/sts/session-cache.js';

const minute = 60_000;

function clock(start = Date.UTC(2025, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

// A fake STS: each call answers a numbered 15-minute session.
function fakeSts(now: () => number) {
  let calls = 0;
  return {
    get calls() { return calls; },
    assume: async (): Promise<AssumedSession> => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 1));
      return {
        accessKeyId: `ASIA${String(calls).padStart(16, '0')}`,
        secretAccessKey: 'secret',
        sessionToken: 'session',
        expiration: new Date(now() + 15 * minute),
        stsRequestId: `request-${calls}`,
      };
    },
  };
}

const alice: Caller = {
  tenantId: 'cfe917f4-2d4b-4269-87e5-caaf86008490',
  objectId: 'c87be44a-faf5-4c45-addf-91578618fbca',
  principalType: 'user',
  tokenVersion: '2.0',
  appId: '11111111-1111-1111-1111-111111111111',
  displayName: 'alice@contoso.onmicrosoft.com',
  groups: [],
  appRoles: [],
  scopes: ['Credentials.Issue'],
  groupsOverage: false,
};

const reader: Grant = {
  ruleId: 'orders-readers',
  targetName: 'orders-prod',
  target: {} as Grant['target'],
  dbUser: 'app_reader',
  roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
};

function keyFor(caller: Caller, grant: Grant, mode: 'broker' | 'pass-through' =
  'broker'): string {
  return sessionKey({ mode, caller, grant, sessionName: `s.${caller.objectId}` });
}

describe('SessionCache', () => {
  it('hands out a kept session to the same caller and grant', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 10, now: time.now });
    const key = keyFor(alice, reader);

    const first = await cache.session(key, sts.assume);
    time.advance(5 * minute);
    const second = await cache.session(key, sts.assume);

    expect(first.cache).toBe('miss');
    expect(second.cache).toBe('hit');
    expect(second.session).toBe(first.session);
    expect(second.session.stsRequestId).toBe('request-1');
    expect(sts.calls).toBe(1);
  });

  it('asks STS again once a session has less than the margin left', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 10, now: time.now,
      minRemainingMs: 5 * minute });
    const key = keyFor(alice, reader);
    await cache.session(key, sts.assume);

    time.advance(10 * minute);
    const atMargin = await cache.session(key, sts.assume);
    time.advance(1);
    const pastMargin = await cache.session(key, sts.assume);

    expect(atMargin.cache).toBe('hit');
    expect(pastMargin.cache).toBe('miss');
    expect(pastMargin.session.stsRequestId).toBe('request-2');
    expect(sts.calls).toBe(2);
  });

  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 2, now: time.now });
    const [a, b, c] = ['a', 'b', 'c'].map((oid) =>
      keyFor({ ...alice, objectId: oid }, reader)) as [string, string, string];

    await cache.session(a, sts.assume);
    await cache.session(b, sts.assume);
    await cache.session(a, sts.assume);
    await cache.session(c, sts.assume);

    expect(cache.size).toBe(2);
    expect((await cache.session(a, sts.assume)).cache).toBe('hit');
    expect((await cache.session(b, sts.assume)).cache).toBe('miss');
    expect(sts.calls).toBe(4);
  });

  it('makes one STS call for 50 concurrent requests of one key', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 10, now: time.now });
    const key = keyFor(alice, reader);

    const answers = await Promise.all(Array.from({ length: 50 }, () =>
      cache.session(key, sts.assume)));

    expect(sts.calls).toBe(1);
    expect(new Set(answers.map((answer) => answer.session)).size).toBe(1);
    expect(answers.filter((answer) => answer.cache === 'miss')).toHaveLength(1);
    expect(answers.filter((answer) => answer.cache === 'hit')).toHaveLength(49);
  });

  it('never hands one caller\'s session to another', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 10, now: time.now });
    const bob = { ...alice, objectId: 'afc92fc8-7e6b-47a1-af8a-2675aaba973d' };
    const otherTenant = { ...alice,
      tenantId: '0b2f6c0e-3a52-4b8e-9d3f-6f8b1c2d3e4f' };

    const mine = await cache.session(keyFor(alice, reader), sts.assume);
    const bobs = await cache.session(keyFor(bob, reader), sts.assume);
    const foreign = await cache.session(keyFor(otherTenant, reader), sts.assume);

    expect([mine.cache, bobs.cache, foreign.cache]).toEqual(['miss', 'miss', 'miss']);
    expect(new Set([mine.session, bobs.session, foreign.session]).size).toBe(3);
    expect(sts.calls).toBe(3);
  });

  it('keys every part of the session apart', () => {
    const base = keyFor(alice, reader);
    const variants = [
      keyFor(alice, { ...reader, dbUser: 'app_writer' }),
      keyFor(alice, { ...reader, roleArn: `${reader.roleArn}-2` }),
      keyFor(alice, { ...reader, targetName: 'orders-staging' }),
      keyFor(alice, { ...reader, ruleId: 'orders-oncall' }),
      keyFor(alice, reader, 'pass-through'),
      keyFor({ ...alice, displayName: 'alice@fabrikam.com' }, reader),
      sessionKey({ mode: 'broker', caller: alice, grant: reader,
        sessionName: 'other' }),
    ];

    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('keys pass-through sessions by token version and client app', () => {
    const v2 = keyFor(alice, reader, 'pass-through');
    const v1 = keyFor({ ...alice, tokenVersion: '1.0' }, reader, 'pass-through');
    const otherApp = keyFor({ ...alice, appId: 'another-client' }, reader,
      'pass-through');

    expect(new Set([v2, v1, otherApp]).size).toBe(3);
    expect(keyFor({ ...alice, appId: 'another-client' }, reader))
      .toBe(keyFor(alice, reader));
  });

  it('keeps no failure: the next request asks STS again', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 10, now: time.now });
    const key = keyFor(alice, reader);
    const throttled = new Error('Rate exceeded');

    const failures = await Promise.allSettled(Array.from({ length: 3 }, () =>
      cache.session(key, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        throw throttled;
      })));
    const after = await cache.session(key, sts.assume);

    expect(failures.map((failure) => failure.status))
      .toEqual(['rejected', 'rejected', 'rejected']);
    expect(failures.map((failure) =>
      failure.status === 'rejected' ? failure.reason : undefined))
      .toEqual([throttled, throttled, throttled]);
    expect(after.cache).toBe('miss');
    expect(sts.calls).toBe(1);
    expect(cache.size).toBe(1);
  });

  it('calls STS for every request when its size is 0', async () => {
    const time = clock();
    const sts = fakeSts(time.now);
    const cache = new SessionCache({ maxEntries: 0, now: time.now });
    const key = keyFor(alice, reader);

    const answers = await Promise.all([1, 2, 3].map(() =>
      cache.session(key, sts.assume)));

    expect(answers.map((answer) => answer.cache)).toEqual(['miss', 'miss', 'miss']);
    expect(sts.calls).toBe(3);
    expect(cache.size).toBe(0);
  });
});
