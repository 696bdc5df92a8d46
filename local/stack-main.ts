/**
 * `npm run stack`: the local stack on its fixed ports until Ctrl-C, for
 * calling the API by hand (see the README).
 */
import { mkdirSync } from 'node:fs';
import { startLocalStack } from './stack.js';

// The API's own output (its JSON log lines, audit events among them) is
// passed through, so what the function logs can be read as it happens.
mkdirSync('.local', { recursive: true });
const stack = await startLocalStack({
  trailFile: '.local/sts-trail.jsonl',
  onApiLine: (line) => process.stdout.write(`api | ${line}\n`),
}).catch((error: unknown) => {
  process.stderr.write(`stack: ${(error as Error).message}\n`);
  process.exit(1);
});
process.stdout.write([
  `API            ${stack.apiUrl}  (POST /v1/credentials, GET /v1/targets)`,
  `Entra stand-in ${stack.entra.url}  (npm run token -- alice)`,
  `STS stand-in   ${stack.sts.url}  (log: .local/sts-trail.jsonl)`,
  'Ctrl-C stops everything.',
  '',
].join('\n'));

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  stack.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
