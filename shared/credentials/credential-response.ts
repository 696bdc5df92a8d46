import type { Target } from '../config/mapping-schema.js';
import type { Grant } from '../grants/grants-for.js';
import type { DbToken } from '../rds/sign-db-token.js';

/** How to reach a target; the same facts in both API responses. */
interface ConnectionFacts {
  host: string;
  port: number;
  engine: 'postgres' | 'mysql';
  database: string | undefined;
  region: string;
  tls: { required: true; caBundleUrl: string };
}

/** The body of a 200 answer to POST /v1/credentials. */
interface CredentialResponse {
  token: string;
  expiresAt: string;
  refreshAfter: string;
  target: string;
  dbUser: string;
  roleArn: string;
  sessionName: string;
  connection: ConnectionFacts;
}

/**
 * IAM authentication requires TLS; clients verify the server against the
 * RDS certificate bundle. The global bundle holds every region's CAs, so
 * one file serves every target.
 */
function connectionFacts(target: Target): ConnectionFacts {
  return {
    host: target.host,
    port: target.port,
    engine: target.engine,
    database: target.database,
    region: target.region,
    tls: {
      required: true,
      caBundleUrl: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    },
  };
}

function credentialResponse(
  grant: Grant,
  sessionName: string,
  dbToken: DbToken,
): CredentialResponse {
  return {
    token: dbToken.token,
    expiresAt: dbToken.expiresAt.toISOString(),
    refreshAfter: dbToken.refreshAfter.toISOString(),
    target: grant.targetName,
    dbUser: grant.dbUser,
    roleArn: grant.roleArn,
    sessionName,
    connection: connectionFacts(grant.target),
  };
}

export { connectionFacts, credentialResponse };
export type { ConnectionFacts, CredentialResponse };
