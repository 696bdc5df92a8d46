import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.js';
import type { LocalStack } from '../../local/stack.js';
import { runCli } from '../support/cli-process.js';
import { startPgWireServer } from '../support/pg-wire-server.js';
import type { PgWireServer } from '../support/pg-wire-server.js';
import { makeTestCertificates } from '../support/test-ca.js';
import type { TestCertificates } from '../support/test-ca.js';

const ENDPOINT = 'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com';

let stack: LocalStack;
let database: PgWireServer;
let certificates: TestCertificates;
let configDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  certificates = makeTestCertificates([ENDPOINT]);
  database = await startPgWireServer({
    tls: { key: certificates.keyPem, cert: certificates.certPem },
  });
  stack = await startLocalStack({ entraPort: 0, stsPort: 0, apiPort: 43110, lambdaPort: 43111 });
  configDir = mkdtempSync(join(tmpdir(), 'aurora-aad-cli-'));
  env = {
    AURORA_AAD_CONFIG_DIR: join(configDir, 'config'),
    AURORA_AAD_API_URL: stack.apiUrl,
    AURORA_AAD_ENTRA_URL: stack.entra.url,
    AURORA_AAD_RDS_CA_BUNDLE: certificates.caPath,
  };
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await database?.close();
});

async function approve(userCode: string, user: string): Promise<void> {
  const response = await fetch(`${stack.entra.url}/_dev/devicecode/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_code: userCode, user }),
  });
  expect(response.status).toBe(200);
}

// What a browser does: load the authorize page, pick the user, follow the
// redirect back to the CLI's loopback listener.
async function actAsBrowser(authorizeUrl: string, user: string): Promise<number> {
  const page = await (await fetch(authorizeUrl)).text();
  const request = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const picked = await fetch(`${stack.entra.url}/_dev/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, user }),
    redirect: 'manual',
  });
  const location = picked.headers.get('location') ?? '';
  expect(new URL(location).hostname).toBe('localhost');
  return (await fetch(location)).status;
}

describe('aurora-aad against the local stack', () => {
  it('signs in with the device code flow and caches tokens owner-only', async () => {
    const approvals: Promise<void>[] = [];

    const run = await runCli(['login', '--local', '--device-code'], env, (line) => {
      const code = /enter the code (\w+)/.exec(line)?.[1];
      if (code) approvals.push(approve(code, 'alice'));
    });
    await Promise.all(approvals);

    expect(run.stderr).toContain(`${stack.entra.url}/_dev/devicelogin`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Signed in as alice@contoso.onmicrosoft.com (profile local)');
    const cacheFile = join(env['AURORA_AAD_CONFIG_DIR']!, 'sign-in.local.json');
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
    expect(statSync(env['AURORA_AAD_CONFIG_DIR']!).mode & 0o777).toBe(0o700);
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(cached).toMatchObject({ method: 'entra', apiUrl: stack.apiUrl });
    expect(cached.refreshToken).toMatch(/^0\./);
  }, 60_000);

  it('lists the targets alice may request', async () => {
    const run = await runCli(['targets', '--local', '--output', 'json'], env);

    expect(run.code).toBe(0);
    const { targets } = JSON.parse(run.stdout);
    expect(targets).toContainEqual(expect.objectContaining({
      target: 'orders-prod',
      dbUsers: expect.arrayContaining(['app_reader', 'app_writer']),
    }));
  });

  it('prints a token with its expiry and connection as JSON', async () => {
    const run = await runCli(
      ['token', 'orders-prod', '--db-user', 'app_reader', '--output', 'json', '--local'], env);

    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.token).toContain(`${ENDPOINT}:5432/?Action=connect&DBUser=app_reader`);
    expect(body).toMatchObject({ target: 'orders-prod', dbUser: 'app_reader' });
    expect(body.connection).toMatchObject({ host: ENDPOINT, port: 5432, engine: 'postgres' });
    expect(Date.parse(body.refreshAfter)).toBeLessThan(Date.parse(body.expiresAt));
    expect(run.stderr).toBe('');
  });

  it('runs the real psql with the token in PGPASSWORD over verify-full TLS', async () => {
    const seen = database.connections.length;

    const run = await runCli(['psql', 'orders-prod', '--db-user', 'app_reader', '--local',
      '--host', '127.0.0.1', '--port', String(database.port), '--', '-At', '-c', 'SELECT 1'], env);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('1');
    const connection = database.connections[seen]!;
    expect(connection.password).toContain(`${ENDPOINT}:5432/?Action=connect&DBUser=app_reader`);
    expect(connection.password).toContain('X-Amz-Signature=');
    expect(connection.tls).toBe(true);
    expect(connection.servername).toBe(ENDPOINT);
    expect(connection.parameters).toMatchObject({
      user: 'app_reader', database: 'orders', application_name: 'aurora-aad',
    });
    expect(connection.queries).toEqual(['SELECT 1']);
  });

  it('leaves psql unable to connect when the CA bundle does not vouch for the server',
    async () => {
      const seen = database.connections.length;
      const other = makeTestCertificates(['unrelated.example.test']);

      const run = await runCli(['psql', 'orders-prod', '--db-user', 'app_reader', '--local',
        '--host', '127.0.0.1', '--port', String(database.port), '--', '-c', 'SELECT 1'],
      { ...env, AURORA_AAD_RDS_CA_BUNDLE: other.caPath });

      expect(run.code).toBe(2);
      expect(run.stderr).toContain('certificate verify failed');
      expect(database.connections.length).toBe(seen);
    });

  it('signs in through the browser flow with PKCE on a loopback redirect', async () => {
    let browser: Promise<number> | undefined;

    const run = await runCli(['login', '--local', '--profile', 'browser', '--no-browser'], env,
      (line) => {
        const url = /^Sign in at: (\S+)/.exec(line)?.[1];
        if (url) browser = actAsBrowser(url, 'bob');
      });

    expect(run.code).toBe(0);
    expect(await browser).toBe(200);
    expect(run.stdout).toContain('Signed in as bob_fabrikam.onmicrosoft.com#EXT#');
    expect(run.stdout).toContain('(profile browser)');
  }, 30_000);

  it('runs mysql with the token in MYSQL_PWD, never in its arguments', async () => {
    const client = join(configDir, 'fake-mysql');
    writeFileSync(client, '#!/bin/sh\nprintf "%s\\n" "$@" > "$0.args"\n' +
      'printf "%s" "$MYSQL_PWD" > "$0.pwd"\nexit 7\n', { mode: 0o755 });
    const billing = await stack.entra.issueToken({ app: 'billing-service' });

    const run = await runCli(['mysql', 'inventory', '--local', '--client', client],
      { ...env, AURORA_AAD_ACCESS_TOKEN: billing });

    expect(run.code).toBe(7);
    const args = readFileSync(`${client}.args`, 'utf8').trim().split('\n');
    const password = readFileSync(`${client}.pwd`, 'utf8');
    expect(password).toContain('Action=connect&DBUser=inventory_writer');
    expect(args).toEqual([
      '--host=inventory.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com', '--port=3306',
      '--user=inventory_writer', '--enable-cleartext-plugin', '--ssl-mode=VERIFY_IDENTITY',
      `--ssl-ca=${certificates.caPath}`, 'inventory',
    ]);
    expect(args.join(' ')).not.toContain('X-Amz-Signature');
  });

  it('refreshes an expired cached token silently', async () => {
    const cacheFile = join(env['AURORA_AAD_CONFIG_DIR']!, 'sign-in.local.json');
    const before = JSON.parse(readFileSync(cacheFile, 'utf8'));
    writeFileSync(cacheFile, JSON.stringify({ ...before, expiresAt: new Date(0).toISOString() }));

    const run = await runCli(['targets', '--local'], env);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^TARGET\s+ENGINE/);
    const after = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now());
    expect(statSync(cacheFile).mode & 0o777).toBe(0o600);
  });

  it('exits 4 with the API code and what to do next when there is no grant', async () => {
    const carol = await stack.entra.issueToken({ user: 'carol' });

    const run = await runCli(['token', 'orders-prod', '--local'],
      { ...env, AURORA_AAD_ACCESS_TOKEN: carol });

    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^aurora-aad: no_grant: /);
    expect(run.stderr).toMatch(/request id: \S+/);
    expect(run.stderr).toContain('next: You have no grant for this target');
    expect(run.stderr).not.toContain(carol);
  });

  it('exits 3 and says to sign in when the token is expired', async () => {
    const expired = await stack.entra.issueToken({ user: 'alice', expired: true });

    const run = await runCli(['targets', '--local'], { ...env, AURORA_AAD_ACCESS_TOKEN: expired });

    expect(run.code).toBe(3);
    expect(run.stderr).toContain('token_expired');
    expect(run.stderr).toContain('next: Sign in again with `aurora-aad login`');
  });
});
