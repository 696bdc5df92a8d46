/**
 * `npm run stack`: the local stack on its fixed ports until Ctrl-C, for
 * calling the API by hand (see the README).
 */
import { startLocalStack } from './stack.js';

const stack = await startLocalStack({ trailFile: '.local/sts-trail.jsonl' });
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
