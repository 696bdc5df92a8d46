import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';

let entra: EntraStandIn;
let closedUrl: string;

beforeAll(async () => {
  const gone = await startEntraStandIn();
  closedUrl = gone.url;
  await gone.close();
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function token(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'local/entra/cli.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  it('prints a v2 user token alone on stdout', async () => {
    const { code, stdout } = await token(['alice', '--url', entra.url]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decodeJwt(stdout.trim())).toMatchObject({ ver: '2.0', scp: 'Credentials.Issue' });
  });

  it('takes the stand-in URL from AURORA_AAD_ENTRA_URL and honours the flags', async () => {
    const { code, stdout } = await token(
      ['billing-service', '--v1', '--expired', '--audience', API_CLIENT_ID],
      { AURORA_AAD_ENTRA_URL: entra.url },
    );
    const claims = decodeJwt(stdout.trim());

    expect(code).toBe(0);
    expect(claims).toMatchObject({
      ver: '1.0',
      idtyp: 'app',
      aud: API_CLIENT_ID,
    });
    expect(claims.exp).toBeLessThan(Date.now() / 1000);
  });

  it('forges on request', async () => {
    const { stdout } = await token(['alice', '--forge', 'alg-none', '--url', entra.url]);

    expect(decodeProtectedHeader(stdout.trim()).alg).toBe('none');
  });

  it('exits 2 with the known names for an unknown name', async () => {
    const { code, stdout, stderr } = await token(['mallory', '--url', entra.url]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'token: No user or app named "mallory". Users: alice, bob, carol, dave, erin. ' +
        'Apps: billing-service, reporting-job.\n',
    );
  });

  it('exits 2 with a hint when the stand-in does not answer', async () => {
    const { code, stderr } = await token(['alice', '--url', closedUrl]);

    expect(code).toBe(2);
    expect(stderr).toContain(`The Entra stand-in at ${closedUrl} does not answer.`);
    expect(stderr).toContain('AURORA_AAD_ENTRA_URL');
  });

  it('exits 2 for an unknown forgery', async () => {
    const { code, stderr } = await token(['alice', '--forge', 'rot13', '--url', entra.url]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^token: --forge must be one of alg-none, /);
  });
});

describe('local/entra/main.ts', () => {
  it('serves on the given port and stops on SIGTERM', async () => {
    const args = ['--import', 'tsx', 'local/entra/main.ts', '--port', '0'];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const listening = new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });

    const url = await listening;
    const response = await fetch(`${url}/common/discovery/v2.0/keys`);
    child.kill('SIGTERM');
    const [exitCode] = await once(child, 'exit');

    expect(response.status).toBe(200);
    expect(exitCode).toBe(0);
    expect(output).toContain('Entra stand-in stopping (SIGTERM).');
  });
});
