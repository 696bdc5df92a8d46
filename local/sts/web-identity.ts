import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload } from 'jose';
import type { Account, OidcProvider } from './account.js';
import { StsError } from './errors.js';

/** The only signing algorithm the stand-in accepts, as the product mints and expects. */
const ALGORITHM = 'RS256';

/** How long a fetched JWKS is trusted before it is fetched again. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** How long the stand-in waits for a provider's JWKS endpoint. */
const JWKS_TIMEOUT_MS = 5_000;

/** A web identity token whose signature, issuer, audience and lifetime checked out. */
interface VerifiedIdentity {
  readonly provider: OidcProvider;
  readonly claims: JWTPayload;
  readonly subject: string;
  /** Every `aud` value, in token order. */
  readonly audiences: readonly string[];
  /**
   * The audience IAM reports and tests as `{provider}:aud`: `azp` when the token
   * has one, else the `aud` value the provider registered.
   */
  readonly audience: string;
}

interface CachedKeys {
  readonly keys: JSONWebKeySet;
  readonly fetchedAt: number;
}

/**
 * Checks web identity tokens the way STS does for an IAM OIDC provider: the
 * issuer must be registered, the signature must verify with the provider's
 * JWKS (fetched, cached, and fetched again when a `kid` is unknown), the
 * audience must be a registered client id and the token must be current.
 * One verifier belongs to one stand-in, so caches never leak between tests.
 */
class WebIdentityVerifier {
  readonly #account: Account;
  readonly #now: () => Date;
  readonly #cache = new Map<string, CachedKeys>();

  constructor(account: Account, now: () => Date) {
    this.#account = account;
    this.#now = now;
  }

  async verify(token: string): Promise<VerifiedIdentity> {
    const { alg, kid, claims } = decode(token);

    if (alg !== ALGORITHM) {
      throw invalid(`The token is signed with ${String(alg)}; only ${ALGORITHM} is accepted.`);
    }
    const issuer = claims.iss;
    if (typeof issuer !== 'string' || issuer.length === 0) {
      throw invalid('The token has no iss claim.');
    }
    const provider = this.#account.oidcProviders.find((entry) => entry.url === issuer);
    if (!provider) {
      throw invalid(`No OpenIDConnect provider found in your account for ${issuer}`);
    }

    const keys = await this.#keysFor(provider, kid);
    const payload = await this.#checkSignature(token, keys, provider);

    const audiences = audienceList(payload.aud);
    const registered = audiences.find((value) => provider.clientIds.includes(value));
    if (registered === undefined) {
      throw invalid(
        `Incorrect token audience: the token's aud is not a client id registered for ` +
          `the provider ${provider.key}.`,
      );
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw invalid('The token has no sub claim.');
    }

    const azp = payload['azp'];
    return {
      provider,
      claims: payload,
      subject: payload.sub,
      audiences,
      audience: typeof azp === 'string' && azp.length > 0 ? azp : registered,
    };
  }

  async #checkSignature(
    token: string,
    keys: JSONWebKeySet,
    provider: OidcProvider,
  ): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, createLocalJWKSet(keys), {
        algorithms: [ALGORITHM],
        currentDate: this.#now(),
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (cause) {
      throw signatureOrClaimsError(cause, provider, this.#now());
    }
  }

  /** The provider's keys, fetched again once when the token names a kid not yet seen. */
  async #keysFor(provider: OidcProvider, kid: string | undefined): Promise<JSONWebKeySet> {
    const cached = this.#cache.get(provider.jwksUri);
    const fresh = cached !== undefined && Date.now() - cached.fetchedAt < JWKS_MAX_AGE_MS;
    const knowsKid = kid === undefined || cached?.keys.keys.some((key) => key.kid === kid);
    if (cached && fresh && knowsKid) return cached.keys;

    const keys = await fetchKeys(provider);
    this.#cache.set(provider.jwksUri, { keys, fetchedAt: Date.now() });
    return keys;
  }
}

function decode(token: string): { alg: unknown; kid: string | undefined; claims: JWTPayload } {
  try {
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    return { alg: header.alg, kid, claims };
  } catch (cause) {
    throw new StsError('InvalidIdentityToken', 'The web identity token is not a valid JWT.', {
      cause,
    });
  }
}

async function fetchKeys(provider: OidcProvider): Promise<JSONWebKeySet> {
  let body: unknown;
  try {
    const response = await fetch(provider.jwksUri, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(JWKS_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (cause) {
    throw new StsError(
      'IDPCommunicationError',
      `Couldn't retrieve verification key from your identity provider ${provider.key}.`,
      { cause },
    );
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { keys?: unknown }).keys)
  ) {
    throw new StsError(
      'IDPCommunicationError',
      `The identity provider ${provider.key} answered its JWKS URL with something ` +
        'that is not a JSON Web Key Set.',
    );
  }
  return body as JSONWebKeySet;
}

function signatureOrClaimsError(cause: unknown, provider: OidcProvider, now: Date): StsError {
  if (cause instanceof errors.JWTExpired) {
    const exp = typeof cause.payload.exp === 'number' ? cause.payload.exp : 0;
    return new StsError(
      'ExpiredTokenException',
      `Token expired: current date/time ${Math.floor(now.getTime() / 1000)} must be before ` +
        `the expiration date/time ${exp}`,
      { cause },
    );
  }
  if (
    cause instanceof errors.JWKSNoMatchingKey ||
    cause instanceof errors.JWKSMultipleMatchingKeys
  ) {
    return invalid(
      `Couldn't find the token's verification key in the JWKS of ${provider.key}.`,
      cause,
    );
  }
  if (cause instanceof errors.JWSSignatureVerificationFailed) {
    return invalid(
      `The token's signature does not verify with the keys of ${provider.key}.`,
      cause,
    );
  }
  if (cause instanceof errors.JWTClaimValidationFailed) {
    return invalid(`The token's ${cause.claim} claim is not acceptable: ${cause.reason}.`, cause);
  }
  return invalid('The web identity token could not be verified.', cause);
}

function audienceList(aud: JWTPayload['aud']): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((value) => typeof value === 'string');
  return [];
}

function invalid(message: string, cause?: unknown): StsError {
  return new StsError('InvalidIdentityToken', message, { cause });
}

export { ALGORITHM, WebIdentityVerifier };
export type { VerifiedIdentity };
