import type { CredentialsProvider } from './credentials-provider.js';
import { AuroraAadError } from './errors.js';
import { loadRdsCa } from './rds-ca.js';
import type { RdsCaOptions } from './rds-ca.js';

/** Which target, and optionally another route to it. */
interface TargetConnectionOptions extends RdsCaOptions {
  readonly provider: CredentialsProvider;
  readonly target: string;
  /** Needed when the caller is granted several users on the target. */
  readonly dbUser?: string;
  /**
   * Connect here instead of the cluster endpoint (a tunnel or port
   * forward). The token is still for the endpoint, and TLS still checks the
   * server certificate against the endpoint's name where the driver can.
   */
  readonly host?: string;
  readonly port?: number;
  /** Default: the target's database. */
  readonly database?: string;
}

/** What both drivers' settings are made of. */
interface TargetConnection {
  host: string;
  port: number;
  user: string;
  database: string | undefined;
  /** The endpoint's own name, for TLS server-name checks. */
  endpoint: string;
  ca: string;
  /** Asks the provider for a token valid now (cached until refreshAfter). */
  token(): Promise<string>;
}

/**
 * Asks for credentials once, to learn the target's endpoint, user and
 * database, checks the engine, and loads the RDS CA bundle. The drivers'
 * settings call `token()` for every new connection.
 */
async function targetConnection(
  options: TargetConnectionOptions,
  engine: 'postgres' | 'mysql',
): Promise<TargetConnection> {
  const first = await options.provider.getCredentials({
    target: options.target,
    ...(options.dbUser ? { dbUser: options.dbUser } : {}),
  });
  const { connection } = first;
  if (connection.engine !== engine) {
    const helper = connection.engine === 'postgres' ? 'pgConfig' : 'mysqlConfig';
    throw new AuroraAadError(
      'engine_mismatch',
      `Target ${options.target} is ${connection.engine}, not ${engine}; use ${helper}.`,
    );
  }
  const request = { target: options.target, dbUser: first.dbUser };

  return {
    host: options.host ?? connection.host,
    port: options.port ?? connection.port,
    user: first.dbUser,
    database: options.database ?? connection.database,
    endpoint: connection.host,
    ca: await loadRdsCa(options, connection.tls.caBundleUrl),
    token: async () => (await options.provider.getCredentials(request)).token,
  };
}

export { targetConnection };
export type { TargetConnection, TargetConnectionOptions };
