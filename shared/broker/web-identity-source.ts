import { ApiError } from '../errors/api-error.js';
import type { Grant } from '../grants/grants-for.js';
import type { Caller } from '../identity/caller.js';
import type { SigningKey } from './signing-key.js';
import { mintWebIdentityToken } from './web-identity-token.js';
import type { BrokerIssuer } from './web-identity-token.js';

/** The token passed to STS; `jti` is set when the broker minted it. */
interface WebIdentity {
  token: string;
  jti: string | undefined;
}

/**
 * Chooses the web-identity token for AssumeRoleWithWebIdentity: the broker's
 * own (broker mode) or the caller's Entra token (pass-through mode).
 */
type WebIdentitySource = (
  caller: Caller,
  grant: Grant,
  entraToken: string,
) => Promise<WebIdentity>;

/**
 * Pass-through: STS sees the caller's Entra token. Role trust policies
 * cannot test groups, so anyone whose token a trust policy accepts can call
 * STS directly and skip the mapping.
 */
function passThrough(): WebIdentitySource {
  return async (_caller, _grant, entraToken) => ({
    token: entraToken,
    jti: undefined,
  });
}

/**
 * Broker: STS sees a token this API minted for the grant, which trust
 * policies can pin by `sub`; the caller's Entra token never leaves the API.
 */
function brokered(key: SigningKey, broker: BrokerIssuer): WebIdentitySource {
  return async (caller, grant) => {
    try {
      const minted = await mintWebIdentityToken(caller, grant, key, broker);
      return { token: minted.token, jti: minted.jti };
    } catch (error) {
      throw new ApiError(
        'broker_key_unavailable',
        'The broker could not sign its web identity token: check ' +
          'BROKER_KMS_KEY_IDS and the function\'s kms:Sign permission.',
        { cause: error },
      );
    }
  };
}

export { brokered, passThrough };
export type { WebIdentity, WebIdentitySource };
