/**
 * An Entra token from the Azure CLI (`az account get-access-token`), for
 * engineers already signed in with `az login`: az keeps and refreshes its own
 * cache, so each call simply asks it again.
 */
import { execFile } from 'node:child_process';
import { TokenSourceError } from './errors.js';

/** What to ask az for. */
interface AzureCliTokenRequest {
  /** e.g. `api://aurora-aad/Credentials.Issue`. */
  readonly scope: string;
  /** Tenant GUID or domain; az's default tenant when left out. */
  readonly tenant?: string;
  /** The az executable; default `az` on the PATH. */
  readonly command?: string;
}

/** An access token and when it stops working. */
interface AzureCliToken {
  readonly accessToken: string;
  readonly expiresAt: Date;
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      const firstLine = String(stderr).trim().split('\n')[0] ?? '';
      reject(new TokenSourceError(
        missing
          ? `The Azure CLI (${command}) is not installed or not on the PATH; install it or ` +
            'sign in with `aurora-aad login`.'
          : `\`az account get-access-token\` failed: ${firstLine || error.message} ` +
            'Run `az login` (with --tenant for the right tenant) and try again.',
        { cause: error },
      ));
    });
  });
}

/** az writes `expires_on` (epoch seconds) since 2.54, `expiresOn` (local time) before. */
function expiryOf(output: Record<string, unknown>): Date {
  const epoch = Number(output['expires_on']);
  if (Number.isFinite(epoch) && epoch > 0) return new Date(epoch * 1000);
  const local = Date.parse(String(output['expiresOn'] ?? '').replace(' ', 'T'));
  return new Date(Number.isFinite(local) ? local : Date.now() + 5 * 60_000);
}

/** Asks az for a token; throws {@link TokenSourceError} with the fix. */
async function azureCliToken(request: AzureCliTokenRequest): Promise<AzureCliToken> {
  const args = ['account', 'get-access-token', '--scope', request.scope, '--output', 'json'];
  if (request.tenant) args.push('--tenant', request.tenant);
  const stdout = await run(request.command ?? 'az', args);

  let output: Record<string, unknown>;
  try {
    output = JSON.parse(stdout) as Record<string, unknown>;
  } catch (error) {
    throw new TokenSourceError('`az account get-access-token` did not print JSON.', {
      cause: error,
    });
  }
  const accessToken = output['accessToken'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TokenSourceError('`az account get-access-token` printed no accessToken.');
  }
  return { accessToken, expiresAt: expiryOf(output) };
}

export { azureCliToken };
export type { AzureCliToken, AzureCliTokenRequest };
