/**
 * mysql2 settings for an Aurora MySQL target. RDS IAM authentication asks
 * the client to switch to `mysql_clear_password` and send the token as is,
 * which is only safe over verified TLS: this supplies both, and the plugin
 * asks the credentials provider for a token on every new connection.
 */
import type { PoolOptions } from 'mysql2';
import type { CredentialsProvider } from './credentials-provider.js';
import { AuroraAadError } from './errors.js';
import { loadRdsCa } from './rds-ca.js';
import type { RdsCaOptions } from './rds-ca.js';

/** Which target, and optionally another route to it. */
interface MysqlConfigOptions extends RdsCaOptions {
  readonly provider: CredentialsProvider;
  readonly target: string;
  readonly dbUser?: string;
  /**
   * Connect here instead of the cluster endpoint. mysql2 checks the
   * certificate's name only against a host name, so through an IP address
   * the chain is verified but not the name.
   */
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
}

/**
 * Asks for credentials once (endpoint, user, database) and returns pool
 * options whose clear-text auth plugin fetches a token per connection.
 *
 * @example
 * const pool = mysql.createPool(await mysqlConfig({ provider, target: 'inventory' }));
 */
async function mysqlConfig(options: MysqlConfigOptions): Promise<PoolOptions> {
  const first = await options.provider.getCredentials({
    target: options.target,
    ...(options.dbUser ? { dbUser: options.dbUser } : {}),
  });
  const { connection } = first;
  if (connection.engine !== 'mysql') {
    throw new AuroraAadError(
      'engine_mismatch',
      `Target ${options.target} is ${connection.engine}, not mysql; use pgConfig.`,
    );
  }
  const ca = await loadRdsCa(options, connection.tls.caBundleUrl);
  const request = { target: options.target, dbUser: first.dbUser };
  const database = options.database ?? connection.database;

  return {
    host: options.host ?? connection.host,
    port: options.port ?? connection.port,
    user: first.dbUser,
    ...(database ? { database } : {}),
    ssl: { ca, rejectUnauthorized: true, verifyIdentity: true },
    authPlugins: {
      mysql_clear_password: () => async () => {
        const { token } = await options.provider.getCredentials(request);
        return Buffer.from(`${token}\0`);
      },
    },
  };
}

export { mysqlConfig };
export type { MysqlConfigOptions };
