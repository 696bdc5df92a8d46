/**
 * `npm run demo`: the main job on the embedded local stack. A development
 * user signs in to the Entra stand-in, asks the API (under
 * serverless-offline) for credentials for a sample target, and sees the
 * token, its expiry and the psql command that would use it. Two refusals
 * and the audit events the API wrote follow. Everything stops at the end.
 */
import { mkdirSync } from 'node:fs';
import { startLocalStack } from './stack.js';

const auditLines: string[] = [];
mkdirSync('.local', { recursive: true });
const stack = await startLocalStack({
  trailFile: '.local/sts-trail.jsonl',
  onApiLine: (line) => {
    if (line.includes('"credential.')) auditLines.push(line);
  },
}).catch((error: unknown) => {
  process.stderr.write(`demo: ${(error as Error).message}\n`);
  process.exit(1);
});

async function askForCredentials(token: string, body: object) {
  const response = await fetch(`${stack.apiUrl}/v1/credentials`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as Record<string, any> };
}

const say = (text = '') => process.stdout.write(`${text}\n`);

try {
  say(`Local stack up: API ${stack.apiUrl}, Entra ${stack.entra.url}, STS ${stack.sts.url}`);
  say();

  say('1. alice@contoso.onmicrosoft.com signs in (Entra stand-in, v2 access token)');
  const alice = await stack.entra.issueToken({ user: 'alice' });
  const issued = await askForCredentials(alice, { target: 'orders-prod', dbUser: 'app_reader' });
  if (issued.status !== 200) {
    throw new Error(`the API answered ${issued.status}: ${JSON.stringify(issued.body)}`);
  }
  const { token, expiresAt, refreshAfter, connection, dbUser, roleArn, sessionName } = issued.body;
  const lifetime = Math.round((Date.parse(expiresAt) - Date.now()) / 1000);
  say('   POST /v1/credentials {"target":"orders-prod","dbUser":"app_reader"} -> 200');
  say(`   role         ${roleArn}`);
  say(`   session      ${sessionName}`);
  say(`   expiresAt    ${expiresAt}  (in ${lifetime} s)`);
  say(`   refreshAfter ${refreshAfter}`);
  say('   token (the database password):');
  say(`   ${token}`);
  say();
  const [call] = stack.sts.trail.filter((event) => !event.errorCode);
  say('   STS saw the broker\'s own token, not alice\'s Entra token:');
  say(`   sub ${call?.userIdentity.userName}, source identity ` +
    `${call?.responseElements?.sourceIdentity}, tags ` +
    `${JSON.stringify(call?.requestParameters?.principalTags)}`);
  say();
  say('   Use it with psql (the password goes in the environment, never on the command line):');
  say(`   curl -so rds-global-bundle.pem ${connection.tls.caBundleUrl}`);
  say('   export PGPASSWORD="<token above>"');
  say(`   psql "host=${connection.host} port=${connection.port} dbname=${connection.database} ` +
    `user=${dbUser} sslmode=verify-full sslrootcert=rds-global-bundle.pem"`);
  say();

  say('2. carol (no group grants her orders-prod) is refused');
  const carol = await askForCredentials(await stack.entra.issueToken({ user: 'carol' }),
    { target: 'orders-prod' });
  say(`   -> ${carol.status} ${carol.body.code}: ${carol.body.detail}`);
  say();

  say('3. an expired token is refused');
  const expired = await askForCredentials(
    await stack.entra.issueToken({ user: 'alice', expired: true }), { target: 'orders-prod' });
  say(`   -> ${expired.status} ${expired.body.code}: ${expired.body.detail}`);
  say();

  say('Audit events the API wrote (one per request; no token in any of them):');
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const line of auditLines) {
    const event = JSON.parse(line.slice(line.indexOf('{')));
    say(`   ${event.event} ${event.reason_code} oid=${event.oid ?? '-'} target=${event.target} ` +
      `rule=${event.matched_rule ?? '-'} fingerprint=${event.token_fingerprint}`);
  }
  const leaked = auditLines.some((line) => line.includes(token) || line.includes(alice));
  say(leaked ? '   A TOKEN APPEARED IN THE LOGS.' : '   Checked: neither token appears in the logs.');
  if (leaked) process.exitCode = 1;
} finally {
  await stack.stop();
}
