import type { JsonWebKey } from 'node:crypto';
import type { SigningKey } from './signing-key.js';

/**
 * The OpenID Connect discovery document IAM reads for the broker's issuer:
 * `issuer` must equal the `iss` of every minted token exactly, and
 * `jwks_uri` is where IAM fetches the keys.
 */
function discoveryDocument(issuer: string) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'jti',
      'https://aws.amazon.com/source_identity', 'https://aws.amazon.com/tags'],
  };
}

/** Every published key: the signing key first, then keys kept for overlap. */
async function jwksDocument(keys: readonly SigningKey[]): Promise<{
  keys: JsonWebKey[];
}> {
  return { keys: await Promise.all(keys.map((key) => key.publicJwk())) };
}

export { discoveryDocument, jwksDocument };
