/**
 * How psql and mysql get a token without it appearing on a command line
 * (where `ps` shows it): the password and TLS settings go in the client's
 * environment. psql reads PGPASSWORD, PGSSLMODE and PGSSLROOTCERT; the
 * mysql client reads MYSQL_PWD, and its TLS flags carry no secret.
 */
import { isIP } from 'node:net';
import type { CredentialResponse } from '../sdk/client.js';

/** A route other than the cluster endpoint: a tunnel or port forward. */
interface Route {
  /** An IP address; the endpoint's name is still what TLS verifies. */
  readonly host?: string;
  readonly port?: number;
}

/**
 * libpq settings. With a tunnel, PGHOST stays the endpoint (so
 * verify-full checks its name and SNI carries it) and PGHOSTADDR says where
 * to connect.
 */
function psqlEnvironment(
  credentials: CredentialResponse,
  caPath: string,
  route: Route = {},
): Record<string, string> {
  const { connection } = credentials;
  return {
    PGHOST: connection.host,
    ...(route.host && isIP(route.host) ? { PGHOSTADDR: route.host } : {}),
    PGPORT: String(route.port ?? connection.port),
    PGUSER: credentials.dbUser,
    ...(connection.database ? { PGDATABASE: connection.database } : {}),
    PGPASSWORD: credentials.token,
    PGSSLMODE: 'verify-full',
    PGSSLROOTCERT: caPath,
    PGAPPNAME: 'aurora-aad',
  };
}

/** The mysql client's password variable; the rest goes in {@link mysqlArguments}. */
function mysqlEnvironment(credentials: CredentialResponse): Record<string, string> {
  return { MYSQL_PWD: credentials.token };
}

/** Host, user, TLS with the CA and the clear-text plugin RDS IAM needs. */
function mysqlArguments(credentials: CredentialResponse, caPath: string, route: Route = {}):
  string[] {
  const { connection } = credentials;
  return [
    `--host=${route.host ?? connection.host}`,
    `--port=${route.port ?? connection.port}`,
    `--user=${credentials.dbUser}`,
    '--enable-cleartext-plugin',
    '--ssl-mode=VERIFY_IDENTITY',
    `--ssl-ca=${caPath}`,
    ...(connection.database ? [connection.database] : []),
  ];
}

/** `export NAME='value'` lines for a POSIX shell. */
function shellExports(variables: Record<string, string>): string {
  return Object.entries(variables)
    .map(([name, value]) => `export ${name}='${value.replaceAll("'", "'\\''")}'`)
    .join('\n');
}

export { mysqlArguments, mysqlEnvironment, psqlEnvironment, shellExports };
export type { Route };
