/**
 * `aurora-aad token <target>`: prints a database token, the one place the
 * CLI shows one, because the user asked for it. Raw by default, the full
 * answer with `--output json`, or shell exports with `--output env`.
 */
import { caBundleFor, credentialsFor, parseTargetCommand, TARGET_HELP } from '../target-credentials.js';
import { COMMON_HELP } from '../cli-settings.js';
import type { Command } from '../command.js';
import { mysqlEnvironment, psqlEnvironment, shellExports } from '../database-client-env.js';
import { EXIT, reportFailure, UsageError } from '../exit-codes.js';

const HELP = `usage: aurora-aad token <target> [--output raw|json|env] [options]
${TARGET_HELP}  --output, -o       raw (the token), json (token, expiry, connection) or env
                     (shell exports for psql or mysql)
${COMMON_HELP}`;

async function run(args: string[]): Promise<number> {
  try {
    const { values, target, port } = parseTargetCommand(args);
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    const output = values.output ?? 'raw';
    if (!['raw', 'json', 'env'].includes(output)) {
      throw new UsageError('--output is raw, json or env.');
    }
    const credentials = await credentialsFor(values, target);

    if (output === 'raw') {
      process.stdout.write(`${credentials.token}\n`);
    } else if (output === 'json') {
      process.stdout.write(`${JSON.stringify(credentials, null, 2)}\n`);
    } else {
      const route = { ...(values.host ? { host: values.host } : {}), ...(port ? { port } : {}) };
      const variables = credentials.connection.engine === 'postgres'
        ? psqlEnvironment(credentials, await caBundleFor(credentials, values['ca-bundle']), route)
        : mysqlEnvironment(credentials);
      process.stdout.write(`${shellExports(variables)}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

const token: Command = {
  name: 'token',
  summary: 'print a database token for a target (raw, --output json or env)',
  run,
};

export { token };
