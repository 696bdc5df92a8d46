import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { DevTokenRequest, EntraStandIn } from '../../local/entra/server.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const FABRIKAM = '77022e91-1483-4de8-bc89-49f715bafe49';
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';
const CLI_CLIENT_ID = '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754';
const READERS = 'db21df36-d5e5-4941-b40e-13dfd8f13fe4';
const WRITERS = '11711fa3-b0a0-4dce-96e7-dc323d319c72';
const ALICE_OID = 'c87be44a-faf5-4c45-addf-91578618fbca';
const BOB_UPN = 'bob_fabrikam.onmicrosoft.com#EXT#@contoso.onmicrosoft.com';
const DAVE_OID = '8fcd5484-4d60-4651-b37c-0b619ccecfba';
const BILLING_APP_ID = 'ac2dcf16-ab87-460c-a908-242edd0d6bfc';
const BILLING_OID = 'f3773758-2772-49cf-9158-ea94c265b3bb';

let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

/** Issues over HTTP, as a developer would, and verifies with the tenant's keys. */
async function verifiedClaims(request: DevTokenRequest, tenant = CONTOSO): Promise<JWTPayload> {
  const response = await fetch(`${entra.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { access_token: string; token_type: string };
  expect(response.status).toBe(200);
  expect(body.token_type).toBe('Bearer');
  const jwks = createRemoteJWKSet(new URL(`${entra.url}/${tenant}/discovery/v2.0/keys`));
  const { payload } = await jwtVerify(body.access_token, jwks, { algorithms: ['RS256'] });
  return payload;
}

describe('user access tokens', () => {
  it('carries Entra’s v2 delegated claims for a member', async () => {
    const claims = await verifiedClaims({ user: 'alice' });

    expect(claims).toMatchObject({
      aud: API_CLIENT_ID,
      iss: `https://login.microsoftonline.com/${CONTOSO}/v2.0`,
      azp: CLI_CLIENT_ID,
      azpacr: '0',
      name: 'Alice Example',
      oid: ALICE_OID,
      preferred_username: 'alice@contoso.onmicrosoft.com',
      scp: 'Credentials.Issue',
      tid: CONTOSO,
      ver: '2.0',
      groups: [READERS, WRITERS],
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.sub).toMatch(/^[\w-]{43}$/);
    expect(claims.sub).not.toBe(ALICE_OID);
    expect(claims).not.toHaveProperty('upn');
    expect(claims).not.toHaveProperty('idtyp');
    expect(typeof claims.aio).toBe('string');
    expect(String(claims.rh)).toMatch(/^0\./);
    expect(String(claims.uti)).toMatch(/^[\w-]{22}$/);
  });

  it('carries Entra’s v1 delegated claims with the App ID URI audience', async () => {
    const claims = await verifiedClaims({ user: 'alice', version: 1 });

    expect(claims).toMatchObject({
      aud: 'api://aurora-aad',
      iss: `https://sts.windows.net/${CONTOSO}/`,
      amr: ['pwd', 'mfa'],
      appid: CLI_CLIENT_ID,
      appidacr: '0',
      family_name: 'Example',
      given_name: 'Alice',
      name: 'Alice Example',
      ipaddr: '127.0.0.1',
      oid: ALICE_OID,
      scp: 'Credentials.Issue',
      tid: CONTOSO,
      unique_name: 'alice@contoso.onmicrosoft.com',
      upn: 'alice@contoso.onmicrosoft.com',
      ver: '1.0',
      groups: [READERS, WRITERS],
    });
    expect(claims).not.toHaveProperty('azp');
  });

  it('keeps the pairwise sub stable per user and different between users', async () => {
    const first = await verifiedClaims({ user: 'alice' });
    const second = await verifiedClaims({ user: 'alice', version: 1 });
    const carol = await verifiedClaims({ user: 'carol' });

    expect(second.sub).toBe(first.sub);
    expect(carol.sub).not.toBe(first.sub);
  });

  it('gives a guest the #EXT# names, his home tenant as idp and acct 1', async () => {
    const v1 = await verifiedClaims({ user: 'bob', version: 1 });
    const v2 = await verifiedClaims({ user: 'bob' });

    expect(v1).toMatchObject({
      upn: BOB_UPN,
      unique_name: BOB_UPN,
      idp: `https://sts.windows.net/${FABRIKAM}/`,
      acct: 1,
      tid: CONTOSO,
    });
    expect(v2).toMatchObject({
      preferred_username: BOB_UPN,
      idp: `https://sts.windows.net/${FABRIKAM}/`,
      acct: 1,
      tid: CONTOSO,
    });
  });

  it('gives an overage user the Graph pointer and no groups claim', async () => {
    const v1 = await verifiedClaims({ user: 'dave', version: 1 });
    const v2 = await verifiedClaims({ user: 'dave' });

    expect(v1).not.toHaveProperty('groups');
    expect(v1._claim_names).toEqual({ groups: 'src1' });
    expect(v1._claim_sources).toEqual({
      src1: {
        endpoint: `https://graph.windows.net/${CONTOSO}/users/${DAVE_OID}/getMemberObjects`,
      },
    });
    expect(v2).not.toHaveProperty('groups');
    expect(v2._claim_sources).toEqual({
      src1: {
        endpoint: `https://graph.microsoft.com/v1.0/users/${DAVE_OID}/getMemberObjects`,
      },
    });
  });

  it('leaves groups out for a user in no group', async () => {
    const claims = await verifiedClaims({ user: 'carol' });

    expect(claims).not.toHaveProperty('groups');
    expect(claims).not.toHaveProperty('_claim_names');
  });

  it('gives a user of another tenant that tenant’s tid and issuer', async () => {
    const v2 = await verifiedClaims({ user: 'erin' }, FABRIKAM);
    const v1 = await verifiedClaims({ user: 'erin', version: 1 }, FABRIKAM);

    expect(v2.tid).toBe(FABRIKAM);
    expect(v2.iss).toBe(`https://login.microsoftonline.com/${FABRIKAM}/v2.0`);
    expect(v1.iss).toBe(`https://sts.windows.net/${FABRIKAM}/`);
  });
});

describe('app-only access tokens', () => {
  it('carries idtyp app, the app roles and the service principal as oid and sub', async () => {
    const claims = await verifiedClaims({ app: 'billing-service' });

    expect(claims).toMatchObject({
      aud: API_CLIENT_ID,
      azp: BILLING_APP_ID,
      azpacr: '1',
      idtyp: 'app',
      oid: BILLING_OID,
      sub: BILLING_OID,
      roles: ['Credentials.Issue.All', 'Inventory.Write'],
      tid: CONTOSO,
      ver: '2.0',
    });
    expect(claims).not.toHaveProperty('scp');
    expect(claims).not.toHaveProperty('name');
    expect(claims).not.toHaveProperty('preferred_username');
  });

  it('names the app in appid and its tenant in idp on v1', async () => {
    const claims = await verifiedClaims({ app: 'billing-service', version: 1 });

    expect(claims).toMatchObject({
      aud: 'api://aurora-aad',
      appid: BILLING_APP_ID,
      appidacr: '1',
      idp: `https://sts.windows.net/${CONTOSO}/`,
      idtyp: 'app',
      ver: '1.0',
    });
    expect(claims).not.toHaveProperty('upn');
    expect(claims).not.toHaveProperty('unique_name');
  });

  it('leaves roles out for an app with no app role', async () => {
    const claims = await verifiedClaims({ app: 'reporting-job' });

    expect(claims.idtyp).toBe('app');
    expect(claims).not.toHaveProperty('roles');
    expect(claims).not.toHaveProperty('scp');
  });
});

describe('request knobs', () => {
  it('overrides audience, scope and roles', async () => {
    const claims = await verifiedClaims({
      user: 'alice',
      audience: '00000003-0000-0000-c000-000000000000',
      scope: 'User.Read',
      roles: ['Auditor'],
    });

    expect(claims.aud).toBe('00000003-0000-0000-c000-000000000000');
    expect(claims.scp).toBe('User.Read');
    expect(claims.roles).toEqual(['Auditor']);
  });

  it('leaves scp out when scope is empty', async () => {
    const claims = await verifiedClaims({ user: 'alice', scope: '' });

    expect(claims).not.toHaveProperty('scp');
  });

  it('sets lifetime and not-before offset', async () => {
    const claims = await verifiedClaims({ user: 'alice', lifetimeSeconds: 120 });
    const later = decodeJwt(
      await entra.issueToken({ user: 'alice', notBeforeOffsetSeconds: 900 }),
    );

    expect(claims.exp! - claims.iat!).toBe(120);
    expect(later.nbf! - later.iat!).toBe(900);
  });

  it('merges extra claims and removes those set to null', async () => {
    const claims = await verifiedClaims({
      user: 'alice',
      extraClaims: { tid: FABRIKAM, oid: null, wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'] },
    });

    expect(claims.tid).toBe(FABRIKAM);
    expect(claims).not.toHaveProperty('oid');
    expect(claims.wids).toEqual(['b79fbf4d-3ef9-4689-8143-76b194e85509']);
  });

  it('makes an expired token whose nbf and exp are in the past', async () => {
    const token = await entra.issueToken({ user: 'alice', expired: true });
    const claims = decodeJwt(token);
    const now = Math.floor(Date.now() / 1000);
    const jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));

    expect(claims.exp).toBeLessThanOrEqual(now - 600);
    expect(claims.nbf).toBeLessThan(claims.exp!);
    await expect(
      jwtVerify(token, jwks, { algorithms: ['RS256'], clockTolerance: 300 }),
    ).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it('refuses a request naming both a user and an app', async () => {
    await expect(entra.issueToken({ user: 'alice', app: 'billing-service' })).rejects.toThrow(
      'name exactly one of "user" or "app"',
    );
  });

  it('refuses an unknown user and lists the known ones', async () => {
    await expect(entra.issueToken({ user: 'mallory' })).rejects.toThrow(
      'No user named "mallory" in the Entra stand-in directory ' +
        '(known users: alice, bob, carol, dave, erin).',
    );
  });
});
