import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors/api-error.js';
import { TenantKeySets } from '../../shared/identity/key-sets.js';
import { verifyEntraToken } from '../../shared/identity/verify-entra-token.js';
import type { VerifyOptions } from '../../shared/identity/verify-entra-token.js';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { DevTokenRequest, EntraStandIn } from '../../local/entra/server.js';

const contoso = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const fabrikam = '77022e91-1483-4de8-bc89-49f715bafe49';
const apiClientId = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';

let entra: EntraStandIn;
let options: VerifyOptions;

function freshOptions(cooldownSeconds = 30): VerifyOptions {
  return {
    keySets: new TenantKeySets({
      authorityHost: entra.url, cooldownSeconds, timeoutMs: 1000,
    }),
    tenants: [contoso],
    audiences: ['api://aurora-aad', apiClientId],
    scope: 'Credentials.Issue',
    appRole: 'Credentials.Issue.All',
    clockSkewSeconds: 60,
  };
}

async function refusal(request: DevTokenRequest | string): Promise<string> {
  const token = typeof request === 'string'
    ? request
    : await entra.issueToken(request);
  try {
    await verifyEntraToken(token, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  throw new Error('the token was accepted');
}

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

beforeEach(() => {
  options = freshOptions();
});

describe('verifyEntraToken accepts', () => {
  it('a v2 delegated token, identifying the caller by tid and oid', async () => {
    const caller = await verifyEntraToken(
      await entra.issueToken({ user: 'alice' }), options);

    expect(caller).toEqual({
      tenantId: contoso,
      objectId: 'c87be44a-faf5-4c45-addf-91578618fbca',
      principalType: 'user',
      tokenVersion: '2.0',
      appId: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
      displayName: 'alice@contoso.onmicrosoft.com',
      groups: ['db21df36-d5e5-4941-b40e-13dfd8f13fe4',
        '11711fa3-b0a0-4dce-96e7-dc323d319c72'],
      appRoles: [],
      scopes: ['Credentials.Issue'],
      groupsOverage: false,
    });
  });

  it('a v1 delegated token for the App ID URI', async () => {
    const caller = await verifyEntraToken(
      await entra.issueToken({ user: 'alice', version: 1 }), options);

    expect(caller.tokenVersion).toBe('1.0');
    expect(caller.displayName).toBe('alice@contoso.onmicrosoft.com');
  });

  it('a v1 token whose audience is the client id GUID', async () => {
    const caller = await verifyEntraToken(await entra.issueToken({
      user: 'alice', version: 1, audience: apiClientId,
    }), options);

    expect(caller.objectId).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
  });

  it('an app-only token with the app role', async () => {
    const caller = await verifyEntraToken(
      await entra.issueToken({ app: 'billing-service' }), options);

    expect(caller).toMatchObject({
      principalType: 'app',
      objectId: 'f3773758-2772-49cf-9158-ea94c265b3bb',
      appId: 'ac2dcf16-ab87-460c-a908-242edd0d6bfc',
      appRoles: ['Credentials.Issue.All', 'Inventory.Write'],
      scopes: [],
    });
  });

  it('a guest, keeping #EXT# only as a display hint', async () => {
    const caller = await verifyEntraToken(
      await entra.issueToken({ user: 'bob' }), options);

    expect(caller.objectId).toBe('afc92fc8-7e6b-47a1-af8a-2675aaba973d');
    expect(caller.displayName).toContain('#EXT#');
  });

  it('an overage token, flagging that its groups are missing', async () => {
    const caller = await verifyEntraToken(
      await entra.issueToken({ user: 'dave' }), options);

    expect(caller.groupsOverage).toBe(true);
    expect(caller.groups).toEqual([]);
  });

  it('an implicit-flow token with hasgroups, flagged as overage', async () => {
    const caller = await verifyEntraToken(await entra.issueToken({
      user: 'alice', extraClaims: { groups: null, hasgroups: true },
    }), options);

    expect(caller.groupsOverage).toBe(true);
    expect(caller.groups).toEqual([]);
  });

  it('a token within the clock skew of expiry', async () => {
    const now = Math.floor(Date.now() / 1000);
    const caller = await verifyEntraToken(await entra.issueToken({
      user: 'alice', extraClaims: { exp: now - 30 },
    }), options);

    expect(caller.principalType).toBe('user');
  });
});

describe('verifyEntraToken refuses', () => {
  it('a missing-parts token as malformed', async () => {
    expect(await refusal('not.a-jwt')).toBe('token_malformed');
  });

  it('another spelling of a valid token (padding, spare bits)', async () => {
    const token = await entra.issueToken({ user: 'alice' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 256-byte signatures leave 4 spare bits in the last character.
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;

    expect(await refusal(`${token}==`)).toBe('token_malformed');
    expect(await refusal(`${header}.${payload}.${signature.slice(0, -1)}${sibling}`))
      .toBe('token_malformed');
    await expect(verifyEntraToken(token, options)).resolves.toMatchObject({
      objectId: 'c87be44a-faf5-4c45-addf-91578618fbca',
    });
  });

  it('an oversized token as malformed', async () => {
    const token = await entra.issueToken({
      user: 'alice', extraClaims: { padding: 'x'.repeat(20_000) },
    });

    expect(await refusal(token)).toBe('token_malformed');
  });

  it('an unsigned token (alg none)', async () => {
    expect(await refusal({ user: 'alice', forge: 'alg-none' }))
      .toBe('token_algorithm_not_allowed');
  });

  it('an HS256 token keyed with the public key', async () => {
    expect(await refusal({ user: 'alice', forge: 'hs256-public-key' }))
      .toBe('token_algorithm_not_allowed');
  });

  it('a token signed with a key the tenant never published', async () => {
    expect(await refusal({ user: 'alice', forge: 'unknown-kid' }))
      .toBe('token_key_unknown');
  });

  it('a token that names no signing key, before any key is fetched', async () => {
    const before = entra.stats.jwksRequests;

    const [header, payload, signature] = (await entra.issueToken({ user: 'alice' }))
      .split('.') as [string, string, string];
    const { kid: _kid, ...withoutKid } = JSON.parse(
      Buffer.from(header, 'base64url').toString()) as Record<string, unknown>;
    const kidless = Buffer.from(JSON.stringify(withoutKid)).toString('base64url');

    expect(await refusal(`${kidless}.${payload}.${signature}`))
      .toBe('token_key_unknown');
    expect(entra.stats.jwksRequests).toBe(before);
  });

  it('a token whose signature was tampered with', async () => {
    expect(await refusal({ user: 'alice', forge: 'bad-signature' }))
      .toBe('token_signature_invalid');
  });

  it('a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await entra.issueToken({ user: 'carol' }))
      .split('.');
    const [, alicePayload] = (await entra.issueToken({ user: 'alice' }))
      .split('.');

    expect(await refusal(`${header}.${alicePayload}.${signature}`))
      .toBe('token_signature_invalid');
  });

  it('a token whose issuer is not Entra', async () => {
    expect(await refusal({
      user: 'alice', extraClaims: { iss: `https://evil.example/${contoso}/v2.0` },
    })).toBe('token_issuer_invalid');
  });

  it('a token whose ver does not match its issuer', async () => {
    expect(await refusal({ user: 'alice', extraClaims: { ver: '1.0' } }))
      .toBe('token_issuer_invalid');
  });

  it('a token from another tenant', async () => {
    expect(await refusal({ user: 'erin' })).toBe('token_tenant_not_allowed');
  });

  it('a token whose issuer names another tenant than its tid', async () => {
    options = { ...freshOptions(), tenants: [contoso, fabrikam] };

    expect(await refusal({
      user: 'alice',
      extraClaims: { iss: `https://login.microsoftonline.com/${fabrikam}/v2.0` },
    })).toBe('token_tenant_not_allowed');
  });

  it('a token for another audience', async () => {
    expect(await refusal({
      user: 'alice', audience: 'https://graph.microsoft.com',
    })).toBe('token_audience_invalid');
  });

  it('a Graph token (nonce header) before any signature check', async () => {
    expect(await refusal({ user: 'alice', forge: 'graph-nonce' }))
      .toBe('token_audience_invalid');
  });

  it('an expired token', async () => {
    expect(await refusal({ user: 'alice', expired: true })).toBe('token_expired');
  });

  it('a token that is not valid yet', async () => {
    expect(await refusal({ user: 'alice', notBeforeOffsetSeconds: 600 }))
      .toBe('token_not_yet_valid');
  });

  it('an ID token', async () => {
    expect(await refusal({
      user: 'alice', forge: 'id-token', audience: apiClientId,
    })).toBe('token_kind_not_accepted');
  });

  it('a delegated token without the scope', async () => {
    expect(await refusal({ user: 'alice', scope: 'User.Read' }))
      .toBe('insufficient_scope');
  });

  it('an app-only token without the app role', async () => {
    expect(await refusal({ app: 'reporting-job', roles: ['Other.Role'] }))
      .toBe('insufficient_scope');
  });

  it('a token with neither scp nor roles', async () => {
    expect(await refusal({ user: 'alice', scope: '' }))
      .toBe('token_kind_not_accepted');
  });
});

describe('the tenant key sets', () => {
  it('are fetched once and reused across tokens', async () => {
    const before = entra.stats.jwksRequests;
    for (const user of ['alice', 'bob', 'carol']) {
      await verifyEntraToken(await entra.issueToken({ user }), options);
    }

    expect(entra.stats.jwksRequests - before).toBe(1);
  });

  it('are refetched when a rotated key signs, at most once per cooldown', async () => {
    await verifyEntraToken(await entra.issueToken({ user: 'alice' }),
      options = freshOptions(0.001));
    const before = entra.stats.jwksRequests;

    await entra.rotateSigningKey();
    const caller = await verifyEntraToken(
      await entra.issueToken({ user: 'alice' }), options);

    expect(caller.objectId).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
    expect(entra.stats.jwksRequests - before).toBe(1);
  });

  it('do not refetch for unknown kids within the cooldown', async () => {
    await verifyEntraToken(await entra.issueToken({ user: 'alice' }), options);
    const before = entra.stats.jwksRequests;

    const codes = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      codes.push(await refusal({ user: 'alice', forge: 'unknown-kid' }));
    }

    expect(codes).toEqual(Array(5).fill('token_key_unknown'));
    expect(entra.stats.jwksRequests - before).toBeLessThanOrEqual(1);
  });

  it('answer jwks_unavailable when the keys cannot be fetched', async () => {
    entra.setJwksFault({ status: 503 });
    try {
      expect(await refusal({ user: 'alice' })).toBe('jwks_unavailable');
    } finally {
      entra.setJwksFault(null);
    }
  });
});
