/**
 * Runs the Entra stand-in on its own, for people who want tokens and key sets
 * without the rest of the local stack:
 * `npx tsx local/entra/main.ts [--port 4010] [--host 127.0.0.1]`.
 * It prints where it listens and stops cleanly on Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEntraStandIn } from './server.js';

const DEFAULT_PORT = 4010;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`entra: --port must be a number from 0 to 65535, not "${values.port}".\n`);
  process.exit(2);
}

const entra = await startEntraStandIn({ port, host: values.host });
const [tenant] = entra.directory.tenants;
process.stdout.write(
  `Entra stand-in listening on ${entra.url}\n` +
    (tenant === undefined
      ? ''
      : `  v2 discovery: ${entra.url}/${tenant.id}/v2.0/.well-known/openid-configuration\n`) +
    `  tokens: npm run token -- alice   (AURORA_AAD_ENTRA_URL=${entra.url})\n`,
);

let stopping = false;
function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`Entra stand-in stopping (${signal}).\n`);
  entra.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`entra: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
