import { createRemoteJWKSet, customFetch } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { countedJwksFetch } from '../telemetry/upstream-metrics.js';

interface KeySetOptions {
  /** e.g. https://login.microsoftonline.com (ENTRA_AUTHORITY_HOST). */
  authorityHost: string;
  cooldownSeconds: number;
  timeoutMs: number;
}

/**
 * The signing-key sets of the trusted tenants, one per tenant, created on
 * first use and kept for the life of the function instance. jose caches the
 * keys and refetches when a token names an unknown `kid`, at most once per
 * cooldown, so a flood of forged kids cannot hammer Entra.
 *
 * The set is bounded by the mapping's tenant allow-list: a key set is only
 * ever created for a tenant the caller has already been checked against.
 */
class TenantKeySets {
  readonly #sets = new Map<string, JWTVerifyGetKey>();
  readonly #options: KeySetOptions;

  constructor(options: KeySetOptions) {
    this.#options = options;
  }

  /** The key set for `tenantId`; callers pass only allow-listed tenants. */
  forTenant(tenantId: string): JWTVerifyGetKey {
    let keys = this.#sets.get(tenantId);
    if (!keys) {
      const url = new URL(
        `${this.#options.authorityHost}/${tenantId}/discovery/v2.0/keys`,
      );
      keys = createRemoteJWKSet(url, {
        cooldownDuration: this.#options.cooldownSeconds * 1000,
        timeoutDuration: this.#options.timeoutMs,
        cacheMaxAge: 24 * 60 * 60 * 1000,
        [customFetch]: countedJwksFetch(),
      });
      this.#sets.set(tenantId, keys);
    }
    return keys;
  }
}

export { TenantKeySets };
export type { KeySetOptions };
