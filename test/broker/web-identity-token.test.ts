import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadMapping } from '../../shared/config/mapping.js';
import { discoveryDocument, jwksDocument } from '../../shared/broker/oidc-documents.js';
import { fileSigningKey } from '../../shared/broker/signing-key.js';
import { sourceIdentity } from '../../shared/broker/source-identity.js';
import { trustPolicies } from '../../shared/broker/trust-policy.js';
import { mintWebIdentityToken } from '../../shared/broker/web-identity-token.js';
import { selectGrant } from '../../shared/grants/grants-for.js';
import { brokerKeyFile } from '../support/broker-key.js';
import { aCaller } from '../support/callers.js';

const mapping = loadMapping('config/mapping.yaml');
const broker = {
  issuer: 'https://auth.example.com',
  audience: 'sts.amazonaws.com',
  lifetimeSeconds: 300,
};
const alice = aCaller({ groups: ['db21df36-d5e5-4941-b40e-13dfd8f13fe4'] });
const grant = selectGrant(alice, mapping, 'orders-prod', undefined);

describe('the broker web-identity token', () => {
  it('verifies against the published keys and names grant and caller', async () => {
    const key = fileSigningKey(brokerKeyFile());
    const minted = await mintWebIdentityToken(alice, grant, key, broker);

    const jwks = createLocalJWKSet(await jwksDocument([key]));
    const { payload, protectedHeader } = await jwtVerify(minted.token, jwks, {
      issuer: discoveryDocument(broker.issuer).issuer,
      audience: 'sts.amazonaws.com',
      algorithms: ['RS256'],
    });

    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: key.kid });
    expect(payload).toMatchObject({
      iss: 'https://auth.example.com',
      aud: 'sts.amazonaws.com',
      sub: 'rule/orders-readers',
      jti: minted.jti,
      'https://aws.amazon.com/source_identity': 'alice@contoso.onmicrosoft.com',
      'https://aws.amazon.com/tags': {
        principal_tags: {
          tid: ['cfe917f4-2d4b-4269-87e5-caaf86008490'],
          oid: ['c87be44a-faf5-4c45-addf-91578618fbca'],
          rule: ['orders-readers'],
        },
      },
    });
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(minted.expiresAt.getTime()).toBe(payload.exp! * 1000);
  });

  it('carries no Entra claim beyond identifiers', async () => {
    const key = fileSigningKey(brokerKeyFile());
    const minted = await mintWebIdentityToken(alice, grant, key, broker);
    const payload = JSON.parse(Buffer.from(minted.token.split('.')[1]!,
      'base64url').toString());

    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'https://aws.amazon.com/source_identity',
      'https://aws.amazon.com/tags', 'iat', 'iss', 'jti', 'nbf', 'sub']);
  });

  it('is refused by another key, even one published under its kid', async () => {
    const minted = await mintWebIdentityToken(alice, grant,
      fileSigningKey(brokerKeyFile()), broker);
    const other = fileSigningKey(brokerKeyFile());
    const impostor = { ...(await other.publicJwk()),
      kid: decodeProtectedHeader(minted.token).kid };

    await expect(jwtVerify(minted.token, createLocalJWKSet({ keys: [impostor] })))
      .rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });
});

describe('the OIDC documents', () => {
  it('give IAM the fields it needs, with the exact issuer', () => {
    expect(discoveryDocument('https://auth.example.com')).toMatchObject({
      issuer: 'https://auth.example.com',
      jwks_uri: 'https://auth.example.com/.well-known/jwks.json',
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
    });
  });

  it('publish every key, the signing key first, public parts only', async () => {
    const keys = [fileSigningKey(brokerKeyFile()), fileSigningKey(brokerKeyFile())];
    const { keys: published } = await jwksDocument(keys);

    expect(published.map((jwk) => jwk.kid)).toEqual(keys.map((key) => key.kid));
    for (const jwk of published) {
      expect(Object.keys(jwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    }
  });
});

describe('sourceIdentity', () => {
  it('is the guest\'s home identity, without #EXT#', () => {
    expect(sourceIdentity(aCaller({
      displayName: 'bob_fabrikam.onmicrosoft.com#EXT#@contoso.onmicrosoft.com',
    }))).toBe('bob_fabrikam.onmicrosoft.com');
  });

  it('names apps by object id and never starts with aws:', () => {
    expect(sourceIdentity(aCaller({ principalType: 'app' })))
      .toBe('app-c87be44a-faf5-4c45-addf-91578618fbca');
    expect(sourceIdentity(aCaller({ displayName: 'aws:admin' }))).toBe('aws-admin');
    expect(sourceIdentity(aCaller({ displayName: 'ü' })))
      .toBe('c87be44a-faf5-4c45-addf-91578618fbca');
  });
});

describe('the broker trust policies', () => {
  it('accept only the broker issuer, its audience and the role\'s grants', () => {
    const policies = trustPolicies(mapping, broker);
    const reader = policies.find((policy) =>
      policy.roleArn.endsWith('/aurora-orders-reader'));

    expect(policies.map((policy) => policy.roleArn)).toEqual([
      'arn:aws:iam::111122223333:role/aurora-orders-reader',
      'arn:aws:iam::111122223333:role/aurora-orders-writer',
      'arn:aws:iam::111122223333:role/aurora-inventory-writer',
    ]);
    expect(reader?.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: {
          Federated: 'arn:aws:iam::111122223333:oidc-provider/auth.example.com',
        },
        Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession',
          'sts:SetSourceIdentity'],
        Condition: {
          StringEquals: {
            'auth.example.com:aud': 'sts.amazonaws.com',
            'auth.example.com:sub': ['rule/billing-orders-reader',
              'rule/orders-readers'],
          },
        },
      }],
    });
  });
});
