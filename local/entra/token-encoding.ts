/**
 * Turns a claim set into a compact JWS: honestly, with the ring's active key
 * and Entra's header, or forged in one of the ways attackers and mix-ups
 * produce, so a verifier's tests can show each one is refused for its reason.
 */
import { createHash, randomBytes } from 'node:crypto';
import { base64url, CompactSign } from 'jose';
import type { JWTPayload } from 'jose';
import type { Forgery } from './dev-token-request.js';
import type { TokenVersion } from './issuers.js';
import type { KeyRing, SigningKey } from './signing-keys.js';

const encoder = new TextEncoder();

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

/** v1 tokens carry `x5t` beside `kid`; v2 tokens carry only `kid`. */
function entraHeader(key: SigningKey, version: TokenVersion): Record<string, string> {
  return version === 1
    ? { typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid }
    : { typ: 'JWT', alg: 'RS256', kid: key.kid };
}

async function signRs256(
  header: Record<string, string>,
  claims: JWTPayload,
  key: SigningKey,
): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ ...header, alg: 'RS256' })
    .sign(key.privateKey);
}

/** The payload in the clear and no signature: `alg: none`. */
function unsecured(claims: JWTPayload): string {
  return `${encodeSegment({ typ: 'JWT', alg: 'none' })}.${encodeSegment(claims)}.`;
}

/**
 * HS256 keyed with the published public key's PEM: accepted by a verifier
 * that lets the token pick its algorithm and hands it the RSA key as bytes.
 */
async function publicKeyAsHmacSecret(claims: JWTPayload, key: SigningKey): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ typ: 'JWT', alg: 'HS256', kid: key.kid })
    .sign(encoder.encode(key.publicPem));
}

/** A genuine signature with one byte changed. */
function corruptSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const bytes = base64url.decode(signature);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  return `${header}.${payload}.${base64url.encode(bytes)}`;
}

/**
 * Graph access tokens are signed over a header that holds the SHA-256 of the
 * nonce, then shipped with the plain nonce, so only Graph can check them.
 */
async function withGraphNonce(
  claims: JWTPayload,
  key: SigningKey,
  version: TokenVersion,
): Promise<string> {
  const nonce = randomBytes(32).toString('base64url');
  const hashed = createHash('sha256').update(nonce).digest('base64url');
  const { typ = 'JWT', ...rest } = entraHeader(key, version);
  const signed = await signRs256({ typ, nonce: hashed, ...rest }, claims, key);
  const [, payload, signature] = signed.split('.');
  return `${encodeSegment({ typ, nonce, ...rest })}.${payload}.${signature}`;
}

/**
 * Encodes `claims` as a token. Without a forgery (or for `id-token`, whose
 * difference is in the claims) the active key signs it as Entra would.
 */
async function encodeToken(
  keys: KeyRing,
  claims: JWTPayload,
  version: TokenVersion,
  forgery: Forgery | undefined,
): Promise<string> {
  const key = keys.active();
  switch (forgery) {
    case 'alg-none':
      return unsecured(claims);
    case 'hs256-public-key':
      return publicKeyAsHmacSecret(claims, key);
    case 'unknown-kid':
      return signRs256(entraHeader(keys.unpublished, version), claims, keys.unpublished);
    case 'bad-signature':
      return corruptSignature(await signRs256(entraHeader(key, version), claims, key));
    case 'graph-nonce':
      return withGraphNonce(claims, key, version);
    case 'id-token':
    case undefined:
      return signRs256(entraHeader(key, version), claims, key);
  }
}

export { encodeToken };
