import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JsonWebKey } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import type { KMSClient } from '@aws-sdk/client-kms';

/**
 * A key the broker signs its web-identity tokens with (RS256). In the cloud
 * it is an AWS KMS asymmetric key (RSA_2048, SIGN_VERIFY) whose private half
 * never leaves KMS; in development it is a PEM file on disk.
 */
interface SigningKey {
  /** Stable per key; derived from the key's identity, not fetched. */
  kid: string;
  /** Signs a JWS signing input with RSASSA-PKCS1-v1_5 over SHA-256. */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
  /** The public half as a JWK with kid, alg and use, for the JWKS. */
  publicJwk(): Promise<JsonWebKey>;
}

/**
 * A KMS key. The kid is a digest of the key ARN, so the credentials
 * function can sign without first asking KMS for the public key; the OIDC
 * function reads the public key once per cold start and caches it.
 */
function kmsSigningKey(kms: KMSClient, keyId: string): SigningKey {
  let publicJwk: Promise<JsonWebKey> | undefined;
  const kid = kidFor(keyId);
  return {
    kid,
    async sign(signingInput) {
      const answer = await kms.send(new SignCommand({
        KeyId: keyId,
        Message: createHash('sha256').update(signingInput).digest(),
        MessageType: 'DIGEST',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }));
      if (!answer.Signature) {
        throw new Error(`KMS returned no signature for ${keyId}.`);
      }
      return answer.Signature;
    },
    publicJwk() {
      publicJwk ??= kms.send(new GetPublicKeyCommand({ KeyId: keyId }))
        .then((answer) => {
          if (!answer.PublicKey) {
            throw new Error(`KMS returned no public key for ${keyId}.`);
          }
          return asJwk(createPublicKey({
            key: Buffer.from(answer.PublicKey), format: 'der', type: 'spki',
          }).export({ format: 'jwk' }), kid);
        })
        .catch((error: unknown) => {
          publicJwk = undefined;
          throw error;
        });
      return publicJwk;
    },
  };
}

/** A PEM private key file, for the local stack and tests. */
function fileSigningKey(path: string): SigningKey {
  const privateKey = createPrivateKey(readFileSync(path));
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = kidFor(`${jwk.n}.${jwk.e}`);
  return {
    kid,
    sign: async (signingInput) => sign('sha256', signingInput, privateKey),
    publicJwk: async () => asJwk(jwk, kid),
  };
}

function kidFor(identity: string): string {
  return createHash('sha256').update(identity).digest('base64url').slice(0, 22);
}

function asJwk(jwk: JsonWebKey, kid: string): JsonWebKey {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: 'RS256', use: 'sig' };
}

export { fileSigningKey, kmsSigningKey };
export type { SigningKey };
