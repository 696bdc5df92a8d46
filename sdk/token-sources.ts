/**
 * Where a caller's Entra access token comes from. A token source is just an
 * async function; these build the common ones: a function of the caller's,
 * an environment variable, a service's client-credentials flow, the Azure
 * CLI, and the `aurora-aad` CLI's sign-in cache.
 */
import * as oidc from 'openid-client';
import { azureCliToken } from './az-cli-token.js';
import type { AzureCliTokenRequest } from './az-cli-token.js';
import type { TokenSource } from './client.js';
import { entraConfiguration } from './entra-authority.js';
import type { EntraAuthority } from './entra-authority.js';
import { TokenSourceError } from './errors.js';
import { cachedAccessToken } from './token-cache.js';
import type { CacheLocation } from './token-cache.js';

/** The environment variable {@link fromEnvironment} reads by default. */
const TOKEN_VARIABLE = 'AURORA_AAD_ACCESS_TOKEN';

/** A token is renewed this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** Wraps any function; its failures become `entra_token_unavailable`. */
function fromFunction(get: () => string | Promise<string>): TokenSource {
  return async () => {
    let token: string;
    try {
      token = await get();
    } catch (error) {
      if (error instanceof TokenSourceError) throw error;
      throw new TokenSourceError('The token function failed.', { cause: error });
    }
    if (typeof token !== 'string' || token === '') {
      throw new TokenSourceError('The token function returned no token.');
    }
    return token;
  };
}

/** Reads the variable on every call, so a rotated value is picked up. */
function fromEnvironment(name: string = TOKEN_VARIABLE): TokenSource {
  return fromFunction(() => {
    const token = process.env[name]?.trim();
    if (!token) throw new TokenSourceError(`The environment variable ${name} is not set.`);
    return token;
  });
}

/**
 * Keeps one token and renews it through `fetch` shortly before it expires;
 * concurrent callers share one renewal.
 */
function renewing(fetch: () => Promise<{ token: string; expiresAt: number }>): TokenSource {
  let current: { token: string; expiresAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  return () => {
    if (current && current.expiresAt - Date.now() > RENEW_BEFORE_MS) {
      return Promise.resolve(current.token);
    }
    inFlight ??= fetch()
      .then((fresh) => {
        current = fresh;
        return fresh.token;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/** A service's own identity: its app registration and secret. */
interface ClientCredentialsOptions extends EntraAuthority {
  readonly clientSecret: string;
  /** Default `api://aurora-aad/.default`: the API's app roles granted to the service. */
  readonly scope?: string;
}

/**
 * App-only tokens through the client-credentials grant, cached until five
 * minutes before they expire.
 *
 * @example
 * const tokenSource = fromClientCredentials({
 *   tenant: process.env.AZURE_TENANT_ID!, clientId: process.env.AZURE_CLIENT_ID!,
 *   clientSecret: process.env.AZURE_CLIENT_SECRET!,
 * });
 */
function fromClientCredentials(options: ClientCredentialsOptions): TokenSource {
  const config = entraConfiguration(options, oidc.ClientSecretPost(options.clientSecret));
  const scope = options.scope ?? 'api://aurora-aad/.default';
  return renewing(async () => {
    try {
      const tokens = await oidc.clientCredentialsGrant(config, { scope });
      return {
        token: tokens.access_token,
        expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
      };
    } catch (error) {
      const reason = error instanceof oidc.ResponseBodyError
        ? `Entra refused: ${error.error}`
        : 'Entra did not answer';
      throw new TokenSourceError(
        `The client-credentials grant for ${options.clientId} failed (${reason}); check the ` +
          'tenant, client id, secret and that the app has the API\'s app role.',
        { cause: error },
      );
    }
  });
}

/** Tokens from `az account get-access-token`, renewed as they near expiry. */
function fromAzureCli(request: AzureCliTokenRequest): TokenSource {
  return renewing(async () => {
    const { accessToken, expiresAt } = await azureCliToken(request);
    return { token: accessToken, expiresAt: expiresAt.getTime() };
  });
}

/** The `aurora-aad login` cache, refreshed silently; the profile must be signed in. */
function fromCliCache(location: CacheLocation = {}): TokenSource {
  return () => cachedAccessToken(location);
}

export {
  fromAzureCli,
  fromClientCredentials,
  fromCliCache,
  fromEnvironment,
  fromFunction,
  TOKEN_VARIABLE,
};
export type { ClientCredentialsOptions };
