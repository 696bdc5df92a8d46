/**
 * node-postgres settings for an Aurora PostgreSQL target. The password is a
 * function, so pg asks for it on every new connection and each connection
 * gets a token that is valid when it opens; the credentials provider makes
 * that one API call per refresh, not one per connection.
 */
import type { PoolConfig } from 'pg';
import type { CredentialsProvider } from './credentials-provider.js';
import { AuroraAadError } from './errors.js';
import { loadRdsCa } from './rds-ca.js';
import type { RdsCaOptions } from './rds-ca.js';

/** Which target, and optionally another route to it. */
interface PgConfigOptions extends RdsCaOptions {
  readonly provider: CredentialsProvider;
  readonly target: string;
  /** Needed when the caller is granted several users on the target. */
  readonly dbUser?: string;
  /**
   * Connect here instead of the cluster endpoint (a tunnel or port
   * forward). The token is still for the endpoint, and TLS still checks the
   * server certificate against the endpoint's name.
   */
  readonly host?: string;
  readonly port?: number;
  /** Default: the target's database. */
  readonly database?: string;
}

/**
 * Asks for credentials once (to learn the endpoint, user and database) and
 * returns a pool configuration whose `password` asks the provider again for
 * every connection.
 *
 * @example
 * const pool = new pg.Pool({
 *   ...(await pgConfig({ provider, target: 'orders-prod' })),
 *   max: 10,
 * });
 */
async function pgConfig(options: PgConfigOptions): Promise<PoolConfig> {
  const first = await options.provider.getCredentials({
    target: options.target,
    ...(options.dbUser ? { dbUser: options.dbUser } : {}),
  });
  const { connection } = first;
  if (connection.engine !== 'postgres') {
    throw new AuroraAadError(
      'engine_mismatch',
      `Target ${options.target} is ${connection.engine}, not postgres; use mysqlConfig.`,
    );
  }
  const ca = await loadRdsCa(options, connection.tls.caBundleUrl);
  const request = { target: options.target, dbUser: first.dbUser };

  return {
    host: options.host ?? connection.host,
    port: options.port ?? connection.port,
    user: first.dbUser,
    ...(options.database ?? connection.database
      ? { database: options.database ?? connection.database }
      : {}),
    password: async () => (await options.provider.getCredentials(request)).token,
    ssl: { ca, rejectUnauthorized: true, servername: connection.host },
  };
}

export { pgConfig };
export type { PgConfigOptions };
