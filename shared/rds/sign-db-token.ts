import { Signer } from '@aws-sdk/rds-signer';
import type { Target } from '../config/mapping-schema.js';
import type { AssumedSession } from '../sts/assume-grant-role.js';

/** A signed database token and the times a client needs to use it. */
interface DbToken {
  token: string;
  signedAt: Date;
  expiresAt: Date;
  refreshAfter: Date;
}

/**
 * Signs an Aurora IAM auth token for `dbUser` on the target's real endpoint
 * with the assumed session's credentials. The token is a SigV4 presigned
 * URL computed locally: no call is made, and signing succeeds even for a
 * user the database will refuse.
 *
 * `expiresAt` is the earlier of the token's own expiry (signing time plus
 * X-Amz-Expires, 15 minutes) and the session credentials' expiry, since the
 * database checks both; `refreshAfter` is two thirds of the way there.
 */
async function signDbToken(
  session: AssumedSession,
  target: Target,
  dbUser: string,
): Promise<DbToken> {
  const signer = new Signer({
    hostname: target.host,
    port: target.port,
    username: dbUser,
    region: target.region,
    credentials: {
      accessKeyId: session.accessKeyId,
      secretAccessKey: session.secretAccessKey,
      sessionToken: session.sessionToken,
    },
  });
  const token = await signer.getAuthToken();

  const { signedAt, validSeconds } = readValidity(token);
  const expiresAt = new Date(Math.min(
    signedAt.getTime() + validSeconds * 1000,
    session.expiration.getTime(),
  ));
  const lifetime = Math.max(0, expiresAt.getTime() - signedAt.getTime());
  return {
    token,
    signedAt,
    expiresAt,
    refreshAfter: new Date(signedAt.getTime() + Math.floor(lifetime * 2 / 3)),
  };
}

// The token states when it was signed and for how long: read them back
// rather than trusting a clock reading taken around the call.
function readValidity(token: string) {
  const query = new URLSearchParams(token.slice(token.indexOf('?') + 1));
  const stamp = query.get('X-Amz-Date') ?? '';
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!match) throw new Error('The signed token carries no X-Amz-Date.');
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return {
    signedAt: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)),
    validSeconds: Number(query.get('X-Amz-Expires') ?? 900),
  };
}

export { signDbToken };
export type { DbToken };
