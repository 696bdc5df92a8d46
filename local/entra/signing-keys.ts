/**
 * The stand-in's RSA signing keys. Entra signs every tenant's tokens with one
 * shared, rotating set of keys and publishes all of them, so the ring does the
 * same: one active key, every earlier key still published, and one key that is
 * never published, for tokens whose `kid` no key set knows.
 */
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';

/** A key's public half as the key endpoints publish it. */
interface PublishedJwk {
  readonly kty: 'RSA';
  readonly use: 'sig';
  readonly kid: string;
  /** Entra lists a certificate thumbprint here; the stand-in repeats `kid`. */
  readonly x5t: string;
  readonly n: string;
  readonly e: string;
  /** Only on the v2 key endpoints, as Entra does. */
  readonly issuer?: string;
}

/** One generated key pair and its thumbprint `kid`. */
interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: { readonly n: string; readonly e: string };
  /** SPKI PEM of the public key, what an algorithm-confusion attack signs with. */
  readonly publicPem: string;
}

/** The active key, the published history and the unpublished key. */
interface KeyRing {
  /** Signs every new honest token. */
  active(): SigningKey;
  /** Signs tokens whose `kid` no key endpoint lists. */
  readonly unpublished: SigningKey;
  /** Newest first, the active key included. */
  published(): readonly SigningKey[];
  /** Makes a fresh key active; the previous ones stay published. */
  rotate(): Promise<void>;
}

async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const jwk = await exportJWK(publicKey);
  if (jwk.n === undefined || jwk.e === undefined) {
    throw new Error('The generated RSA public key exported without n or e.');
  }
  const kid = await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'sha256');
  const publicPem = await exportSPKI(publicKey);
  return { kid, privateKey, publicKey, jwk: { n: jwk.n, e: jwk.e }, publicPem };
}

/** Generates a ring with one active published key and one unpublished key. */
async function createKeyRing(): Promise<KeyRing> {
  const [first, unpublished] = await Promise.all([generateSigningKey(), generateSigningKey()]);
  const keys: SigningKey[] = [first];

  return {
    active: () => keys[0] ?? first,
    unpublished,
    published: () => [...keys],
    rotate: async () => {
      keys.unshift(await generateSigningKey());
    },
  };
}

/** The JWK entries a key endpoint answers with, `issuer` set on v2 endpoints. */
function publishKeys(keys: readonly SigningKey[], issuer: string | undefined): PublishedJwk[] {
  return keys.map((key) => ({
    kty: 'RSA',
    use: 'sig',
    kid: key.kid,
    x5t: key.kid,
    n: key.jwk.n,
    e: key.jwk.e,
    ...(issuer === undefined ? {} : { issuer }),
  }));
}

export { createKeyRing, publishKeys };
export type { KeyRing, PublishedJwk, SigningKey };
