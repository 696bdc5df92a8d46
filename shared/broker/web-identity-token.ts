import { randomUUID } from 'node:crypto';
import type { Caller } from '../identity/caller.js';
import type { Grant } from '../grants/grants-for.js';
import type { SigningKey } from './signing-key.js';
import { sourceIdentity } from './source-identity.js';

/** Where the broker's tokens say they come from and whom they are for. */
interface BrokerIssuer {
  /** The issuer URL; IAM's OIDC provider is registered for exactly this. */
  issuer: string;
  /** The audience the IAM OIDC provider lists as its client id. */
  audience: string;
  lifetimeSeconds: number;
}

/** A minted token; only `jti` may be logged. */
interface WebIdentityToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

/**
 * The `sub` of a broker token: it names the rule that granted the request,
 * so a role's trust policy can accept exactly the grants that map to it.
 */
function grantSubject(ruleId: string): string {
  return `rule/${ruleId}`;
}

/**
 * Mints the short-lived RS256 web-identity token the broker passes to
 * AssumeRoleWithWebIdentity instead of the caller's Entra token. Its `sub`
 * names the grant; it carries the caller as source identity and tenant,
 * object id and rule as session tags, so every CloudTrail event of the
 * session names the person and the rule.
 */
async function mintWebIdentityToken(
  caller: Caller,
  grant: Grant,
  key: SigningKey,
  broker: BrokerIssuer,
): Promise<WebIdentityToken> {
  const now = Math.floor(Date.now() / 1000);
  const jti = randomUUID();
  const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
  const claims = {
    iss: broker.issuer,
    aud: broker.audience,
    sub: grantSubject(grant.ruleId),
    iat: now,
    nbf: now,
    exp: now + broker.lifetimeSeconds,
    jti,
    'https://aws.amazon.com/source_identity': sourceIdentity(caller),
    'https://aws.amazon.com/tags': {
      principal_tags: {
        tid: [caller.tenantId],
        oid: [caller.objectId],
        rule: [grant.ruleId],
      },
    },
  };

  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = await key.sign(new TextEncoder().encode(signingInput));
  return {
    token: `${signingInput}.${Buffer.from(signature).toString('base64url')}`,
    jti,
    expiresAt: new Date(claims.exp * 1000),
  };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export { grantSubject, mintWebIdentityToken };
export type { BrokerIssuer, WebIdentityToken };
