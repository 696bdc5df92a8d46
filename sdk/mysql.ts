/**
 * mysql2 settings for an Aurora MySQL target. RDS IAM authentication asks
 * the client to switch to `mysql_clear_password` and send the token as is,
 * which is only safe over verified TLS: this supplies both, and the plugin
 * asks the credentials provider for a token on every new connection.
 */
import type { PoolOptions } from 'mysql2';
import { targetConnection } from './target-connection.js';
import type { TargetConnectionOptions } from './target-connection.js';

/**
 * Which target, and optionally another route to it. mysql2 checks the
 * certificate's name only against a host name, so through an IP address
 * `host` the chain is verified but not the name.
 */
type MysqlConfigOptions = TargetConnectionOptions;

/**
 * Asks for credentials once (endpoint, user, database) and returns pool
 * options whose clear-text auth plugin fetches a token per connection.
 *
 * @example
 * const pool = mysql.createPool(await mysqlConfig({ provider, target: 'inventory' }));
 */
async function mysqlConfig(options: MysqlConfigOptions): Promise<PoolOptions> {
  const target = await targetConnection(options, 'mysql');

  return {
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.database ? { database: target.database } : {}),
    ssl: { ca: target.ca, rejectUnauthorized: true, verifyIdentity: true },
    authPlugins: {
      mysql_clear_password: () => async () =>
        Buffer.from(`${await target.token()}\0`),
    },
  };
}

export { mysqlConfig };
export type { MysqlConfigOptions };
