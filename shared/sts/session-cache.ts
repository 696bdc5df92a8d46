import type { Grant } from '../grants/grants-for.js';
import type { Caller } from '../identity/caller.js';
import type { AssumedSession } from './assume-grant-role.js';

/** Whether a request's session came from STS (`miss`) or not (`hit`). */
type SessionCacheOutcome = 'hit' | 'miss';

/** Options for {@link SessionCache}. */
interface SessionCacheOptions {
  /** Most sessions kept; the least recently used goes first. 0 disables. */
  maxEntries: number;
  /**
   * Least life a cached session must have left to be handed out. A database
   * token signed with it expires with the session, so this is how long the
   * caller's token stays usable at worst. Default 5 minutes.
   */
  minRemainingMs?: number;
  /** The clock, in epoch milliseconds; tests move it. */
  now?: () => number;
}

/** A session and where it came from, for the audit event. */
interface CachedSession {
  session: AssumedSession;
  cache: SessionCacheOutcome;
}

/** What an STS session depends on, every part of it. */
interface SessionKeyParts {
  mode: 'broker' | 'pass-through';
  caller: Caller;
  grant: Grant;
  sessionName: string;
}

/**
 * The cache key of the session a request would get from STS. It holds
 * everything the session depends on: the caller's identity (tenant and
 * object id) and display name (the session name and broker source identity
 * come from it), the role, the target and database user (the session
 * policy), the rule (a broker tag), and the web identity mode. In
 * pass-through mode STS judges the caller's own token, whose issuer (token
 * version) and client application a trust policy may test, so those count
 * too. Two requests share a session only when STS would see the same thing.
 */
function sessionKey({ mode, caller, grant, sessionName }: SessionKeyParts):
  string {
  const parts = [
    mode,
    caller.tenantId,
    caller.objectId,
    caller.displayName ?? '',
    grant.roleArn,
    grant.targetName,
    grant.dbUser,
    grant.ruleId,
    sessionName,
  ];
  if (mode === 'pass-through') {
    parts.push(caller.tokenVersion, caller.appId ?? '');
  }
  return JSON.stringify(parts);
}

/**
 * STS sessions kept per (caller, grant) across warm requests, so STS is
 * called once per session rather than once per issued credential.
 *
 * A session is handed out only while it has `minRemainingMs` left, so a
 * token signed with it is still worth having. Concurrent requests for the
 * same key share one STS call (single flight); a failed call is not kept,
 * so the next request tries STS again. Size is bounded: the least recently
 * used session is dropped first.
 */
class SessionCache {
  readonly #maxEntries: number;
  readonly #minRemainingMs: number;
  readonly #now: () => number;
  // A Map iterates in insertion order: re-inserting on use keeps the least
  // recently used entry first.
  readonly #sessions = new Map<string, AssumedSession>();
  readonly #inFlight = new Map<string, Promise<AssumedSession>>();

  constructor(options: SessionCacheOptions) {
    this.#maxEntries = options.maxEntries;
    this.#minRemainingMs = options.minRemainingMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Sessions currently kept, for tests and the benchmark. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * The session for `key`: a kept one with enough life left, the one an
   * identical request is already fetching, or a new one from `assume`.
   * `assume` runs only on a miss, so work that only STS needs (minting a
   * broker token) is skipped on a hit.
   */
  async session(
    key: string,
    assume: () => Promise<AssumedSession>,
  ): Promise<CachedSession> {
    if (this.#maxEntries === 0) return { session: await assume(), cache: 'miss' };

    const kept = this.#fresh(key);
    if (kept) return { session: kept, cache: 'hit' };

    const pending = this.#inFlight.get(key);
    if (pending) return { session: await pending, cache: 'hit' };

    const flight = assume();
    this.#inFlight.set(key, flight);
    try {
      const session = await flight;
      this.#keep(key, session);
      return { session, cache: 'miss' };
    } finally {
      this.#inFlight.delete(key);
    }
  }

  #fresh(key: string): AssumedSession | undefined {
    const session = this.#sessions.get(key);
    if (!session) return undefined;
    this.#sessions.delete(key);
    const left = session.expiration.getTime() - this.#now();
    if (left < this.#minRemainingMs) return undefined;
    this.#sessions.set(key, session);
    return session;
  }

  #keep(key: string, session: AssumedSession): void {
    this.#sessions.delete(key);
    this.#sessions.set(key, session);
    while (this.#sessions.size > this.#maxEntries) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }
}

export { SessionCache, sessionKey };
export type {
  CachedSession,
  SessionCacheOptions,
  SessionCacheOutcome,
  SessionKeyParts,
};
