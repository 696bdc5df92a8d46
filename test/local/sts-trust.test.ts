import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseAccount } from '../../local/sts/account.js';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import {
  API_CLIENT_ID,
  V1_ISSUER,
  V2_ISSUER,
  checkedInAccount,
  roleArn,
  startIssuer,
  stsClient,
} from './sts-fixture.js';
import type { IssuerFixture } from './sts-fixture.js';

const V1 = V1_ISSUER.slice('https://'.length);
const FEDERATED_V1 = `arn:aws:iam::111122223333:oidc-provider/${V1}`;
const TAGS = 'https://aws.amazon.com/tags';
const SOURCE_IDENTITY = 'https://aws.amazon.com/source_identity';

/** Roles written for these tests, each probing one part of IAM's evaluation. */
function testRoles() {
  const allow = (
    Condition?: object,
    Action: string | string[] = 'sts:AssumeRoleWithWebIdentity',
  ) => ({
    Effect: 'Allow',
    Principal: { Federated: FEDERATED_V1 },
    Action,
    ...(Condition && { Condition }),
  });
  const role = (name: string, ...Statement: object[]) => ({
    name,
    trustPolicy: { Version: '2012-10-17', Statement },
  });
  return [
    role('sub-like', allow({ StringLike: { [`${V1}:sub`]: ['user-*', 'svc-??'] } })),
    role(
      'deny-wins',
      allow(),
      { ...allow({ StringEquals: { [`${V1}:sub`]: 'mallory' } }), Effect: 'Deny' },
    ),
    role('not-equals', allow({ StringNotEquals: { [`${V1}:sub`]: ['guest', 'anonymous'] } })),
    role('amr-any', allow({ 'ForAnyValue:StringLike': { [`${V1}:amr`]: 'mfa' } })),
    role('session-name-plain', allow({ StringEquals: { 'STS:RoleSessionName': 'ops-1' } })),
    role('action-wildcard', allow(undefined, ['sts:AssumeRoleWith*'])),
    role('no-tags', allow()),
    role('tags', allow(undefined, ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'])),
    role(
      'tags-restricted',
      allow(),
      allow(
        {
          StringEquals: { 'aws:RequestTag/team': 'orders' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'person'] },
        },
        'sts:TagSession',
      ),
    ),
    role('no-source-identity', allow()),
    role(
      'source-identity',
      allow(),
      allow({ StringLike: { 'sts:SourceIdentity': 'person-*' } }, 'sts:SetSourceIdentity'),
    ),
    role(
      'source-identity-if-exists',
      allow({ StringLikeIfExists: { 'sts:SourceIdentity': 'person-*' } }),
    ),
  ];
}

function testAccount(issuer: IssuerFixture) {
  const base = checkedInAccount(issuer);
  const text = stringify({
    account: '111122223333',
    oidcProviders: base.oidcProviders.map(({ url, clientIds, jwksUri }) => ({
      url,
      clientIds,
      jwksUri,
    })),
    roles: testRoles(),
  });
  return parseAccount(text, {}, 'test account');
}

let issuer: IssuerFixture;
let checkedIn: StsStandIn;
let custom: StsStandIn;

beforeAll(async () => {
  issuer = await startIssuer();
  checkedIn = await startStsStandIn({ account: checkedInAccount(issuer) });
  custom = await startStsStandIn({ account: testAccount(issuer) });
});

afterAll(async () => {
  await checkedIn?.close();
  await custom?.close();
  await issuer?.close();
});

async function assume(
  standIn: StsStandIn,
  role: string,
  claims: JWTPayload,
  sessionName = 'trust-test',
) {
  return stsClient(standIn.url).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn(role),
      RoleSessionName: sessionName,
      WebIdentityToken: await issuer.mint(claims),
    }),
  );
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'allowed',
    (error: Error) => error.name,
  );
}

describe('audience condition keys of the checked-in roles', () => {
  it('tests {provider}:aud against azp when the token carries one', async () => {
    const claims = { aud: 'api://aurora-aad', azp: 'some-other-client' };

    expect(await outcome(assume(checkedIn, 'aurora-orders-reader', claims))).toBe('AccessDenied');
  });

  it('tests {provider}:aud against aud when the token has no azp', async () => {
    const claims = { aud: API_CLIENT_ID };

    expect(await outcome(assume(checkedIn, 'aurora-orders-reader', claims))).toBe('allowed');
  });

  it('tests {provider}:oaud against aud whatever azp says', async () => {
    const claims = { iss: V2_ISSUER, aud: API_CLIENT_ID, azp: 'some-other-client' };

    expect(await outcome(assume(checkedIn, 'aurora-orders-writer', claims))).toBe('allowed');
  });

  it('requires the exact subject the inventory role names', async () => {
    const base = { iss: V2_ISSUER, aud: API_CLIENT_ID };
    const owner = { ...base, sub: 'f3773758-2772-49cf-9158-ea94c265b3bb' };

    expect(await outcome(assume(checkedIn, 'aurora-inventory-writer', owner))).toBe('allowed');
    expect(await outcome(assume(checkedIn, 'aurora-inventory-writer', base))).toBe('AccessDenied');
  });
});

describe('trust policy evaluation', () => {
  it.each([
    ['user-anything', 'allowed'],
    ['svc-01', 'allowed'],
    ['svc-001', 'AccessDenied'],
    ['User-1', 'AccessDenied'],
  ])('matches sub %s against StringLike wildcards: %s', async (sub, expected) => {
    expect(await outcome(assume(custom, 'sub-like', { sub }))).toBe(expected);
  });

  it('lets an explicit Deny win over a matching Allow', async () => {
    expect(await outcome(assume(custom, 'deny-wins', { sub: 'alice' }))).toBe('allowed');
    expect(await outcome(assume(custom, 'deny-wins', { sub: 'mallory' }))).toBe('AccessDenied');
  });

  it('refuses every listed value under StringNotEquals', async () => {
    expect(await outcome(assume(custom, 'not-equals', { sub: 'alice' }))).toBe('allowed');
    expect(await outcome(assume(custom, 'not-equals', { sub: 'guest' }))).toBe('AccessDenied');
    expect(await outcome(assume(custom, 'not-equals', { sub: 'anonymous' }))).toBe(
      'AccessDenied',
    );
  });

  it('matches a multivalued amr with ForAnyValue and refuses when it is absent', async () => {
    expect(await outcome(assume(custom, 'amr-any', { amr: ['pwd', 'mfa'] }))).toBe('allowed');
    expect(await outcome(assume(custom, 'amr-any', { amr: ['pwd'] }))).toBe('AccessDenied');
    expect(await outcome(assume(custom, 'amr-any', {}))).toBe('AccessDenied');
  });

  it('tests sts:RoleSessionName, with key names matched case-insensitively', async () => {
    expect(await outcome(assume(custom, 'session-name-plain', {}, 'ops-1'))).toBe('allowed');
    expect(await outcome(assume(custom, 'session-name-plain', {}, 'ops-2'))).toBe('AccessDenied');
  });

  it('matches wildcards in Action', async () => {
    expect(await outcome(assume(custom, 'action-wildcard', {}))).toBe('allowed');
  });
});

describe('session tags and source identity', () => {
  const tags = (principal_tags: object, transitive_tag_keys?: string[]) => ({
    [TAGS]: { principal_tags, ...(transitive_tag_keys && { transitive_tag_keys }) },
  });

  it('refuses session tags when the trust policy does not allow sts:TagSession', async () => {
    const claims = tags({ team: ['orders'] });

    expect(await outcome(assume(custom, 'no-tags', claims))).toBe('AccessDenied');
    expect(await outcome(assume(custom, 'tags', claims))).toBe('allowed');
  });

  it('tests aws:RequestTag and aws:TagKeys for sts:TagSession', async () => {
    const good = tags({ team: ['orders'], person: ['alice'] }, ['person']);
    const wrongValue = tags({ team: ['billing'] });
    const extraKey = tags({ team: ['orders'], cost: ['1'] });

    expect(await outcome(assume(custom, 'tags-restricted', good))).toBe('allowed');
    expect(await outcome(assume(custom, 'tags-restricted', wrongValue))).toBe('AccessDenied');
    expect(await outcome(assume(custom, 'tags-restricted', extraKey))).toBe('AccessDenied');
  });

  it('refuses malformed tag claims as IDPRejectedClaim', async () => {
    const twoValues = tags({ team: ['orders', 'billing'] });
    const reserved = tags({ 'aws:team': ['orders'] });
    const danglingTransitive = tags({ team: ['orders'] }, ['person']);

    expect(await outcome(assume(custom, 'tags', twoValues))).toBe('IDPRejectedClaimException');
    expect(await outcome(assume(custom, 'tags', reserved))).toBe('IDPRejectedClaimException');
    expect(await outcome(assume(custom, 'tags', danglingTransitive))).toBe(
      'IDPRejectedClaimException',
    );
  });

  it('refuses a source identity unless sts:SetSourceIdentity is allowed', async () => {
    const claims = { [SOURCE_IDENTITY]: 'person-alice' };

    expect(await outcome(assume(custom, 'no-source-identity', claims))).toBe('AccessDenied');
    expect(await outcome(assume(custom, 'source-identity-if-exists', claims))).toBe(
      'AccessDenied',
    );
  });

  it('reflects the source identity when the trust policy allows it', async () => {
    const out = await assume(custom, 'source-identity', { [SOURCE_IDENTITY]: 'person-alice' });

    expect(out.SourceIdentity).toBe('person-alice');
  });

  it('tests sts:SourceIdentity in the sts:SetSourceIdentity statement', async () => {
    const claims = { [SOURCE_IDENTITY]: 'robot-7' };

    expect(await outcome(assume(custom, 'source-identity', claims))).toBe('AccessDenied');
  });

  it('passes an IfExists condition when the key is absent', async () => {
    expect(await outcome(assume(custom, 'source-identity-if-exists', {}))).toBe('allowed');
  });

  it('refuses a source identity outside STS rules as IDPRejectedClaim', async () => {
    const claims = { [SOURCE_IDENTITY]: 'has space' };

    expect(await outcome(assume(custom, 'source-identity', claims))).toBe(
      'IDPRejectedClaimException',
    );
  });
});
