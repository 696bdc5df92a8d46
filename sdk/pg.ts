/**
 * node-postgres settings for an Aurora PostgreSQL target. The password is a
 * function, so pg asks for it on every new connection and each connection
 * gets a token that is valid when it opens; the credentials provider makes
 * that one API call per refresh, not one per connection.
 */
import type { PoolConfig } from 'pg';
import { targetConnection } from './target-connection.js';
import type { TargetConnectionOptions } from './target-connection.js';

/** Which target, and optionally another route to it. */
type PgConfigOptions = TargetConnectionOptions;

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
  const target = await targetConnection(options, 'postgres');

  return {
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.database ? { database: target.database } : {}),
    password: target.token,
    ssl: { ca: target.ca, rejectUnauthorized: true, servername: target.endpoint },
  };
}

export { pgConfig };
export type { PgConfigOptions };
