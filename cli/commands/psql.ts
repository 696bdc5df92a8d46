/**
 * `aurora-aad psql <target> [-- psql args]`: runs the real psql with a fresh
 * token in PGPASSWORD and verify-full TLS against the RDS CA bundle
 * (PGSSLMODE, PGSSLROOTCERT), all in its environment.
 */
import { COMMON_HELP } from '../cli-settings.js';
import type { Command } from '../command.js';
import { psqlEnvironment } from '../database-client-env.js';
import { AuroraAadError } from '../../sdk/errors.js';
import { EXIT, reportFailure } from '../exit-codes.js';
import { runDatabaseClient } from '../run-database-client.js';
import { caBundleFor, credentialsFor, parseTargetCommand, TARGET_HELP } from '../target-credentials.js';

const HELP = `usage: aurora-aad psql <target> [options] [-- psql arguments]
${TARGET_HELP}  --client PATH      the psql to run (default psql on the PATH)
Exits with psql's own exit code once psql has started.
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
    if (credentials.connection.engine !== 'postgres') {
      throw new AuroraAadError('engine_mismatch',
        `Target ${credentials.target} is ${credentials.connection.engine}; use \`aurora-aad mysql\`.`);
    }
    const caPath = await caBundleFor(credentials, values['ca-bundle']);
    const route = { ...(values.host ? { host: values.host } : {}), ...(port ? { port } : {}) };
    return await runDatabaseClient(client ?? 'psql', passThrough,
      psqlEnvironment(credentials, caPath, route));
  } catch (error) {
    return reportFailure(error);
  }
}

const psql: Command = {
  name: 'psql',
  summary: 'run psql on a PostgreSQL target with a fresh token (password in the environment)',
  run,
};

export { psql };
