import { KMSClient } from '@aws-sdk/client-kms';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jwksDocument } from '../../shared/broker/oidc-documents.js';
import { kmsSigningKey } from '../../shared/broker/signing-key.js';
import { oidcDocument } from '../../shared/broker/oidc-route.js';
import { brokered } from '../../shared/broker/web-identity-source.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { createRuntime } from '../../shared/runtime.js';
import { loadMapping } from '../../shared/config/mapping.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { selectGrant } from '../../shared/grants/grants-for.js';
import { aCaller } from '../support/callers.js';
import { startKmsStandIn } from '../support/kms-stand-in.js';

const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0d9c5c2e-4b1f-4a57-9d0e-3f2a1b6c7d8e';
const broker = { issuer: 'https://auth.example.com', audience: 'sts.amazonaws.com',
  lifetimeSeconds: 300 };
const caller = aCaller({ groups: ['db21df36-d5e5-4941-b40e-13dfd8f13fe4'] });
const grant = selectGrant(caller, loadMapping('config/mapping.yaml'), 'orders-prod', undefined);

let kms: Awaited<ReturnType<typeof startKmsStandIn>>;
let client: KMSClient;

beforeAll(async () => {
  kms = await startKmsStandIn(keyArn);
  client = new KMSClient({
    endpoint: kms.url, region: 'eu-west-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-for-loopback' },
  });
});

afterAll(async () => {
  await kms.close();
});

describe('the KMS signing key', () => {
  it('signs tokens that verify with the public key KMS returns', async () => {
    const key = kmsSigningKey(client, keyArn);
    const minted = await brokered(key, broker)(caller, grant, 'unused');

    const { payload, protectedHeader } = await jwtVerify(minted.token,
      createLocalJWKSet(await jwksDocument([key])),
      { issuer: broker.issuer, audience: broker.audience, algorithms: ['RS256'] });

    expect(protectedHeader.kid).toBe(key.kid);
    expect(payload.sub).toBe('rule/orders-readers');
    expect(payload.jti).toBe(minted.jti);
  });

  it('asks KMS for the public key once, and never for a kid', async () => {
    const key = kmsSigningKey(client, keyArn);
    const before = kms.calls.filter((call) => call === 'GetPublicKey').length;

    await jwksDocument([key]);
    await jwksDocument([key]);
    await brokered(key, broker)(caller, grant, 'unused');

    expect(kms.calls.filter((call) => call === 'GetPublicKey').length - before).toBe(1);
  });

  it('answers broker_key_unavailable when KMS fails', async () => {
    kms.setFailing(true);
    try {
      const failure = await brokered(kmsSigningKey(client, keyArn), broker)(
        caller, grant, 'unused').catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).code).toBe('broker_key_unavailable');
    } finally {
      kms.setFailing(false);
    }
  });
});

describe('the OIDC routes with a KMS key', () => {
  function runtime() {
    return createRuntime({
      TOKEN_FINGERPRINT_KEY: 'kms-test-fingerprint-key-0123456789',
      BROKER_ISSUER: broker.issuer,
      BROKER_KMS_KEY_IDS: keyArn,
      AWS_REGION: 'eu-west-1',
    }, { kms: client, logger: new Logger({ logLevel: 'SILENT' }) });
  }

  it('publish the KMS public key', async () => {
    const answer = await oidcDocument(runtime(), '/.well-known/jwks.json', 'r-1');

    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(String(answer.body)).keys[0]).toMatchObject({
      kty: 'RSA', alg: 'RS256', use: 'sig',
    });
  });

  it('answer 503 broker_key_unavailable while KMS fails', async () => {
    kms.setFailing(true);
    try {
      const answer = await oidcDocument(runtime(), '/.well-known/jwks.json', 'r-2');

      expect(answer.statusCode).toBe(503);
      expect(answer.headers?.['retry-after']).toBe('2');
      expect(JSON.parse(String(answer.body)).code).toBe('broker_key_unavailable');
    } finally {
      kms.setFailing(false);
    }
  });

  it('answer 404 not_found for other paths', async () => {
    const answer = await oidcDocument(runtime(), '/.well-known/other', 'r-3');

    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(String(answer.body)).code).toBe('not_found');
  });
});
