/**
 * `aurora-aad mysql <target> [-- mysql args]`: runs the real mysql client
 * with a fresh token in MYSQL_PWD, the clear-text plugin RDS IAM needs, and
 * TLS verified against the RDS CA bundle.
 */
import { AuroraAadError } from '../../sdk/errors.js';
import { COMMON_HELP } from '../cli-settings.js';
import type { Command } from '../command.js';
import { mysqlArguments, mysqlEnvironment } from '../database-client-env.js';
import { EXIT, reportFailure } from '../exit-codes.js';
import { runDatabaseClient } from '../run-database-client.js';
import { caBundleFor, credentialsFor, parseTargetCommand, TARGET_HELP } from '../target-credentials.js';

const HELP = `usage: aurora-aad mysql <target> [options] [-- mysql arguments]
${TARGET_HELP}  --client PATH      the mysql client to run (default mysql on the PATH)
Exits with mysql's own exit code once mysql has started.
${COMMON_HELP}`;

async function run(args: string[]): Promise<number> {
  try {
    const withClient = [...args];
    const at = withClient.indexOf('--client');
    const client = at !== -1 && at < (withClient.indexOf('--') >>> 0)
      ? withClient.splice(at, 2)[1] : undefined;
    const { values, target, port, passThrough } = parseTargetCommand(withClient);
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    const credentials = await credentialsFor(values, target);
    if (credentials.connection.engine !== 'mysql') {
      throw new AuroraAadError('engine_mismatch',
        `Target ${credentials.target} is ${credentials.connection.engine}; use \`aurora-aad psql\`.`);
    }
    const caPath = await caBundleFor(credentials, values['ca-bundle']);
    const route = { ...(values.host ? { host: values.host } : {}), ...(port ? { port } : {}) };
    return await runDatabaseClient(client ?? 'mysql',
      [...mysqlArguments(credentials, caPath, route), ...passThrough],
      mysqlEnvironment(credentials));
  } catch (error) {
    return reportFailure(error);
  }
}

const mysql: Command = {
  name: 'mysql',
  summary: 'run mysql on a MySQL target with a fresh token (password in the environment)',
  run,
};

export { mysql };
