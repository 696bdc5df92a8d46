/**
 * The steps `token`, `psql` and `mysql` share: parse the target and its
 * options, ask the API for a database token, and find the CA bundle the
 * database client must verify the server with.
 */
import { access } from 'node:fs/promises';
import type { CredentialResponse } from '../sdk/client.js';
import { AuroraAadError } from '../sdk/errors.js';
import { rdsCaPath } from '../sdk/rds-ca.js';
import { apiClientFor } from './api-session.js';
import { parseCommand, resolveSettings } from './cli-settings.js';
import { UsageError } from './exit-codes.js';

/** Options of commands that take a target. */
const TARGET_OPTIONS = {
  'db-user': { type: 'string', short: 'U' },
  output: { type: 'string', short: 'o' },
  host: { type: 'string' },
  port: { type: 'string' },
  'ca-bundle': { type: 'string' },
} as const;

const TARGET_HELP = `
  --db-user USER     the database user, when you have several on the target
  --host IP          connect through a tunnel at this IP; TLS still checks the endpoint's name
  --port PORT        the tunnel's port
  --ca-bundle PATH   the RDS CA bundle (AURORA_AAD_RDS_CA_BUNDLE; default in the config directory)
`;

/** Splits `<target> [options] [-- client args]` and parses the options. */
function parseTargetCommand(args: string[]) {
  const split = args.indexOf('--');
  const own = split === -1 ? args : args.slice(0, split);
  const passThrough = split === -1 ? [] : args.slice(split + 1);
  const parsed = parseCommand(own, TARGET_OPTIONS, 1);
  const port = parsed.values.port === undefined ? undefined : Number(parsed.values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError('--port is a TCP port number.');
  }
  return { ...parsed, target: parsed.positionals[0], port, passThrough };
}

/** Asks the API for the target's token. */
async function credentialsFor(
  values: ReturnType<typeof parseTargetCommand>['values'],
  target: string | undefined,
): Promise<CredentialResponse> {
  if (!target) throw new UsageError('Name a target; `aurora-aad targets` lists them.');
  const client = apiClientFor(await resolveSettings(values));
  return client.issueCredentials({
    target,
    ...(values['db-user'] ? { dbUser: values['db-user'] } : {}),
  });
}

/** The CA bundle's path; `rds_ca_missing` with the download command when absent. */
async function caBundleFor(credentials: CredentialResponse, path?: string): Promise<string> {
  const file = rdsCaPath(path ? { caPath: path } : {});
  try {
    await access(file);
    return file;
  } catch (error) {
    throw new AuroraAadError('rds_ca_missing', `The RDS CA bundle is not at ${file}. Download ` +
      `it with \`curl -o '${file}' ${credentials.connection.tls.caBundleUrl}\`.`, { cause: error });
  }
}

export { caBundleFor, credentialsFor, parseTargetCommand, TARGET_HELP };
