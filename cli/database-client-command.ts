import { AuroraAadError } from '../sdk/errors.js';
import type { CredentialResponse } from '../sdk/client.js';
import { COMMON_HELP } from './cli-settings.js';
import type { Command } from './command.js';
import type { Route } from './database-client-env.js';
import { EXIT, reportFailure } from './exit-codes.js';
import { runDatabaseClient } from './run-database-client.js';
import {
  caBundleFor,
  credentialsFor,
  parseTargetCommand,
  TARGET_HELP,
} from './target-credentials.js';

/** How one database client is launched for a target of its engine. */
interface DatabaseClient {
  /** The command name and the client's default executable. */
  name: 'psql' | 'mysql';
  engine: 'postgres' | 'mysql';
  summary: string;
  /** Arguments and environment; the password only ever in the environment. */
  launch(credentials: CredentialResponse, caPath: string, route: Route,
    passThrough: string[]): { args: string[]; env: Record<string, string> };
}

/**
 * `aurora-aad <client> <target> [-- client args]`: fetches a fresh token
 * and runs the real client with it in the client's environment (never on
 * its command line, where `ps` would show it) and TLS verified against the
 * RDS CA bundle. Exits with the client's own code once it has started.
 */
function databaseClientCommand(client: DatabaseClient): Command {
  const help = `usage: aurora-aad ${client.name} <target> [options] ` +
    `[-- ${client.name} arguments]
${TARGET_HELP}  --client PATH      the ${client.name} to run (default ${client.name} on the PATH)
Exits with ${client.name}'s own exit code once ${client.name} has started.
${COMMON_HELP}`;

  async function run(args: string[]): Promise<number> {
    try {
      const withClient = [...args];
      const at = withClient.indexOf('--client');
      const executable = at !== -1 && at < (withClient.indexOf('--') >>> 0)
        ? withClient.splice(at, 2)[1] : undefined;
      const { values, target, port, passThrough } = parseTargetCommand(withClient);
      if (values.help) {
        process.stdout.write(help);
        return EXIT.ok;
      }

      const credentials = await credentialsFor(values, target);
      if (credentials.connection.engine !== client.engine) {
        const other = credentials.connection.engine === 'postgres' ? 'psql' : 'mysql';
        throw new AuroraAadError('engine_mismatch', `Target ${credentials.target} ` +
          `is ${credentials.connection.engine}; use \`aurora-aad ${other}\`.`);
      }
      const caPath = await caBundleFor(credentials, values['ca-bundle']);
      const route = { ...(values.host ? { host: values.host } : {}),
        ...(port ? { port } : {}) };

      const { args: clientArgs, env } = client.launch(credentials, caPath, route,
        passThrough);
      return await runDatabaseClient(executable ?? client.name, clientArgs, env);
    } catch (error) {
      return reportFailure(error);
    }
  }

  return { name: client.name, summary: client.summary, run };
}

export { databaseClientCommand };
export type { DatabaseClient };
