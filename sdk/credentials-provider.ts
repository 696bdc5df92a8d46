/**
 * Database credentials for pools: one API call per (target, database user)
 * until that answer's `refreshAfter`, however many connections open. Calls
 * for the same key while one is in flight share it (single flight), so a
 * burst of fifty new connections makes one request.
 */
import type { ApiClient, CredentialRequest, CredentialResponse } from './client.js';
import { ApiProblemError, AuroraAadError } from './errors.js';

/** What a pool helper asks for. */
interface CredentialsProvider {
  /** A token valid now: cached until `refreshAfter`, then fetched again. */
  getCredentials(request: CredentialRequest): Promise<CredentialResponse>;
  /** Forgets every cached answer, e.g. after a sign-out. */
  clear(): void;
}

/** Options for {@link createCredentialsProvider}. */
interface CredentialsProviderOptions {
  readonly client: ApiClient;
  /**
   * Seconds before `expiresAt` after which a cached token is never handed
   * out, even when a refresh failed: a connection needs time to open.
   * Default 30.
   */
  readonly expiryMarginSeconds?: number;
}

interface Entry {
  current?: CredentialResponse;
  inFlight?: Promise<CredentialResponse>;
}

/** A failure the next attempt may not repeat: the API or its upstream is down. */
function isTransient(error: unknown): boolean {
  if (error instanceof ApiProblemError) return error.status >= 500;
  return error instanceof AuroraAadError && error.code === 'api_unreachable';
}

function keyOf(request: CredentialRequest): string {
  return `${request.target}\u0000${request.dbUser ?? ''}`;
}

/**
 * Creates a provider over an API client. After `refreshAfter` the next
 * caller triggers one refresh; if the API is unreachable or answers 5xx then,
 * the cached token is still handed out until shortly before `expiresAt`,
 * since it would work and the failure may pass. A refusal (4xx) is thrown at
 * once: the grant may have been withdrawn.
 *
 * @example
 * const provider = createCredentialsProvider({ client: api });
 * const { token } = await provider.getCredentials({ target: 'orders-prod' });
 */
function createCredentialsProvider(options: CredentialsProviderOptions): CredentialsProvider {
  const marginMs = (options.expiryMarginSeconds ?? 30) * 1000;
  const entries = new Map<string, Entry>();

  // An answer to a request without dbUser also serves requests that name
  // the user the API chose, so the pool helpers (which name it) share it.
  function remember(response: CredentialResponse): void {
    const key = keyOf({ target: response.target, dbUser: response.dbUser });
    const entry = entries.get(key) ?? {};
    if (entry.current === undefined ||
      Date.parse(entry.current.refreshAfter) < Date.parse(response.refreshAfter)) {
      entry.current = response;
    }
    entries.set(key, entry);
  }

  function fetchInto(entry: Entry, request: CredentialRequest): Promise<CredentialResponse> {
    const flight = options.client
      .issueCredentials(request)
      .then((response) => {
        entry.current = response;
        remember(response);
        return response;
      })
      .finally(() => {
        entry.inFlight = undefined;
      });
    entry.inFlight = flight;
    return flight;
  }

  async function getCredentials(request: CredentialRequest): Promise<CredentialResponse> {
    const key = keyOf(request);
    const entry = entries.get(key) ?? {};
    entries.set(key, entry);

    const now = Date.now();
    const cached = entry.current;
    if (cached !== undefined && now < Date.parse(cached.refreshAfter)) return cached;

    try {
      return await (entry.inFlight ?? fetchInto(entry, request));
    } catch (error) {
      const usable = cached !== undefined && Date.now() < Date.parse(cached.expiresAt) - marginMs;
      if (usable && isTransient(error)) return cached;
      throw error;
    }
  }

  return {
    getCredentials,
    clear: () => entries.clear(),
  };
}

export { createCredentialsProvider };
export type { CredentialsProvider, CredentialsProviderOptions };
