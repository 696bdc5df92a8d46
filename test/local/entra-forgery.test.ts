import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  exportSPKI,
  importJWK,
  jwtVerify,
} from 'jose';
import type { CryptoKey } from 'jose';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';
const CLI_CLIENT_ID = '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754';

let entra: EntraStandIn;
let jwks: ReturnType<typeof createRemoteJWKSet>;
let publishedKids: string[];

beforeAll(async () => {
  entra = await startEntraStandIn();
  jwks = createRemoteJWKSet(new URL(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`));
  const response = await fetch(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);
  const body = (await response.json()) as { keys: { kid: string }[] };
  publishedKids = body.keys.map((key) => key.kid);
});

afterAll(async () => {
  await entra.close();
});

const rs256Only = { algorithms: ['RS256'] };

describe('forged tokens', () => {
  it('alg-none has no signature and is refused for its algorithm', async () => {
    const token = await entra.issueToken({ user: 'alice', forge: 'alg-none' });

    expect(token.endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe('none');
    await expect(jwtVerify(token, jwks, rs256Only)).rejects.toBeInstanceOf(
      errors.JOSEAlgNotAllowed,
    );
  });

  it('hs256-public-key is an HMAC keyed with the published public key PEM', async () => {
    const token = await entra.issueToken({ user: 'alice', forge: 'hs256-public-key' });
    const header = decodeProtectedHeader(token);
    const response = await fetch(`${entra.url}/${CONTOSO}/discovery/v2.0/keys`);
    const [jwk] = ((await response.json()) as { keys: Record<string, string>[] }).keys;
    const publicKey = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256', { extractable: true });
    const pem = new TextEncoder().encode(await exportSPKI(publicKey as CryptoKey));

    expect(header).toMatchObject({ alg: 'HS256', kid: publishedKids[0] });
    // The forgery is real: a verifier that let the token pick HS256 would accept it.
    await expect(jwtVerify(token, pem, { algorithms: ['HS256'] })).resolves.toBeDefined();
    await expect(jwtVerify(token, jwks, rs256Only)).rejects.toBeInstanceOf(
      errors.JOSEAlgNotAllowed,
    );
  });

  it('unknown-kid is signed by a key no key set lists', async () => {
    const token = await entra.issueToken({ user: 'alice', forge: 'unknown-kid' });
    const { kid } = decodeProtectedHeader(token);

    expect(kid).toMatch(/^[\w-]{43}$/);
    expect(publishedKids).not.toContain(kid);
    await expect(jwtVerify(token, jwks, rs256Only)).rejects.toBeInstanceOf(
      errors.JWKSNoMatchingKey,
    );
  });

  it('bad-signature names a published key but does not verify with it', async () => {
    const token = await entra.issueToken({ user: 'alice', forge: 'bad-signature' });

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: publishedKids[0] });
    expect(decodeJwt(token).oid).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
    await expect(jwtVerify(token, jwks, rs256Only)).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
  });

  it('graph-nonce carries a nonce header and fails signature verification', async () => {
    const token = await entra.issueToken({
      user: 'alice',
      version: 1,
      audience: 'https://graph.microsoft.com',
      forge: 'graph-nonce',
    });
    const header = decodeProtectedHeader(token);

    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256', kid: publishedKids[0] });
    expect(String(header.nonce)).toMatch(/^[\w-]{43}$/);
    expect(decodeJwt(token).aud).toBe('https://graph.microsoft.com');
    await expect(jwtVerify(token, jwks, rs256Only)).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
  });

  it('id-token verifies as a signature but is an ID token for the CLI', async () => {
    const token = await entra.issueToken({ user: 'alice', forge: 'id-token' });

    const { payload } = await jwtVerify(token, jwks, rs256Only);
    const forApi = jwtVerify(token, jwks, { ...rs256Only, audience: API_CLIENT_ID });

    expect(payload).toMatchObject({
      aud: CLI_CLIENT_ID,
      iss: `https://login.microsoftonline.com/${CONTOSO}/v2.0`,
      oid: 'c87be44a-faf5-4c45-addf-91578618fbca',
      preferred_username: 'alice@contoso.onmicrosoft.com',
      ver: '2.0',
    });
    expect(typeof payload.nonce).toBe('string');
    expect(payload).not.toHaveProperty('scp');
    await expect(forApi).rejects.toMatchObject({
      code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
      claim: 'aud',
    });
  });

  it('refuses an ID token for an app', async () => {
    await expect(entra.issueToken({ app: 'billing-service', forge: 'id-token' })).rejects.toThrow(
      'Only users get ID tokens',
    );
  });
});
