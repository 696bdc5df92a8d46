import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import {
  API_CLIENT_ID,
  V1_ISSUER,
  V2_ISSUER,
  checkedInAccount,
  roleArn,
  startIssuer,
} from '../local/sts-fixture.js';
import type { IssuerFixture } from '../local/sts-fixture.js';

/** Debian's awscli, called by absolute path: another `aws` on PATH is not the peer. */
const AWS_CLI = '/usr/bin/aws';

let issuer: IssuerFixture;
let sts: StsStandIn;
let home: string;

beforeAll(async () => {
  issuer = await startIssuer();
  sts = await startStsStandIn({ account: checkedInAccount(issuer) });
  home = mkdtempSync(join(tmpdir(), 'awscli-sts-'));
  writeFileSync(join(home, 'config'), '');
  writeFileSync(join(home, 'credentials'), '');
});

afterAll(async () => {
  await sts?.close();
  await issuer?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function requireAwsCli(): void {
  if (!existsSync(AWS_CLI)) {
    throw new Error(
      `${AWS_CLI} is missing; the STS conformance tests need Debian's awscli: ` +
        'apt-get install -y awscli',
    );
  }
}

interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs awscli against the stand-in with an empty, isolated configuration: no
 * credentials of any kind, and the instance metadata service switched off.
 */
function assumeWithCli(
  token: string,
  role: string,
  sessionName = 'cli-session',
): Promise<CliResult> {
  requireAwsCli();
  const args = [
    'sts',
    'assume-role-with-web-identity',
    '--endpoint-url',
    sts.url,
    '--region',
    'eu-west-1',
    '--role-arn',
    roleArn(role),
    '--role-session-name',
    sessionName,
    '--web-identity-token',
    token,
    '--duration-seconds',
    '900',
    '--output',
    'json',
  ];
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile(AWS_CLI, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('Debian awscli against the STS stand-in', () => {
  it('finds awscli at /usr/bin/aws', () => {
    requireAwsCli();
  });

  it('parses the credentials and assumed role of a successful call', async () => {
    const token = await issuer.mint({ sub: 'cli-user' });
    const started = Date.now();

    const result = await assumeWithCli(token, 'aurora-orders-reader');

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials.SessionToken.length).toBeGreaterThan(100);
    const expiration = Date.parse(out.Credentials.Expiration);
    expect(expiration).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 + 900_000);
    expect(expiration).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(out.AssumedRoleUser).toEqual({
      Arn: 'arn:aws:sts::111122223333:assumed-role/aurora-orders-reader/cli-session',
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}:cli-session$/),
    });
    expect(out.SubjectFromWebIdentityToken).toBe('cli-user');
    expect(out.Audience).toBe('api://aurora-aad');
    expect(out.Provider).toBe(V1_ISSUER);
    expect(sts.trail.at(-1)?.userAgent).toContain('aws-cli/');
  });

  it('accepts a v2 token for a role trusting the v2 issuer', async () => {
    const token = await issuer.mint({ iss: V2_ISSUER, aud: API_CLIENT_ID });

    const result = await assumeWithCli(token, 'aurora-orders-writer');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).Provider).toBe(V2_ISSUER);
  });

  it('reports InvalidIdentityToken for a bad signature', async () => {
    const token = await issuer.mint({}, { key: 'unpublished' });

    const result = await assumeWithCli(token, 'aurora-orders-reader');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(InvalidIdentityToken)');
    expect(result.stderr).not.toContain(token);
  });

  it('reports InvalidIdentityToken for an unknown issuer', async () => {
    const token = await issuer.mint({ iss: 'https://unknown.example.test/' });

    const result = await assumeWithCli(token, 'aurora-orders-reader');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(InvalidIdentityToken)');
    expect(result.stderr).toContain('https://unknown.example.test/');
  });

  it('reports ExpiredTokenException for an expired token', async () => {
    const token = await issuer.mint({}, { expiresIn: -300 });

    const result = await assumeWithCli(token, 'aurora-orders-reader');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ExpiredTokenException)');
  });

  it('reports AccessDenied for a role that does not trust the token', async () => {
    const token = await issuer.mint({});

    const result = await assumeWithCli(token, 'aurora-untrusted');

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      '(AccessDenied) when calling the AssumeRoleWithWebIdentity operation: ' +
        'Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
  });
});
