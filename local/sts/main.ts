import { parseArgs } from 'node:util';
import { DEFAULT_ACCOUNT_FILE, loadAccount } from './account.js';
import { startStsStandIn } from './server.js';

/** The port the local stack expects the STS stand-in on. */
const DEFAULT_PORT = 4020;

const USAGE = `Usage: tsx local/sts/main.ts [--port 4020] [--host 127.0.0.1]
  [--entra URL] [--trail FILE] [--account FILE] [--region eu-west-1]

Serves STS AssumeRoleWithWebIdentity for the account in local/sts/aws.yaml.
--entra is the Entra stand-in's base URL, substituted for {entra} in jwksUri.`;

/**
 * Runs the STS stand-in on its own, for pointing awscli or a shell at it while
 * the rest of the stack is not running.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      entra: { type: 'string' },
      trail: { type: 'string' },
      account: { type: 'string', default: DEFAULT_ACCOUNT_FILE },
      region: { type: 'string', default: 'eu-west-1' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a port number, not ${values.port}.`);
  }

  const account = loadAccount(values.account, { entra: values.entra });
  const standIn = await startStsStandIn({
    account,
    host: values.host,
    port,
    region: values.region,
    trailFile: values.trail,
  });
  process.stdout.write(
    `STS stand-in for account ${account.id} listening on ${standIn.url}` +
      `${values.trail ? `, trail in ${values.trail}` : ''}\n`,
  );

  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`STS stand-in stopping on ${signal}\n`);
    standIn.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(1);
});
