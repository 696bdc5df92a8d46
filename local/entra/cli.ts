/**
 * `npm run token -- <user|app> [--v1] [--expired] [--audience X] [--forge KIND]
 * [--url URL]`: prints a token from a running Entra stand-in, alone on stdout,
 * so it drops straight into `curl -H "Authorization: Bearer $(...)"`.
 * Exits 2, with the reason on stderr, for a name the directory lacks, a bad
 * option or a stand-in that does not answer.
 */
import { parseArgs } from 'node:util';
import { FORGERIES } from './dev-token-request.js';
import type { DevTokenRequest, Forgery } from './dev-token-request.js';

/** Where the CLI looks for the stand-in when `--url` is not given. */
const URL_ENV = 'AURORA_AAD_ENTRA_URL';
const DEFAULT_URL = 'http://127.0.0.1:4010';
const USAGE =
  'usage: npm run token -- <user|app> [--v1] [--expired] [--audience X] ' +
  `[--forge ${FORGERIES.join('|')}] [--url URL]`;

/** Something the person at the terminal has to fix. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface DirectoryListing {
  readonly users: readonly { readonly name: string }[];
  readonly apps: readonly { readonly name: string }[];
}

function isForgery(value: string): value is Forgery {
  return (FORGERIES as readonly string[]).includes(value);
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new UsageError(
      `The Entra stand-in at ${new URL(url).origin} does not answer. Start it with ` +
        '`npm run stack` (or `npx tsx local/entra/main.ts`), or point --url or ' +
        `${URL_ENV} at it.`,
      { cause },
    );
  }
}

async function principalRequest(baseUrl: string, name: string): Promise<DevTokenRequest> {
  const response = await call(`${baseUrl}/_dev/directory`);
  if (!response.ok) {
    throw new UsageError(`${baseUrl} answered ${response.status}; is it the Entra stand-in?`);
  }
  const listing = (await response.json()) as DirectoryListing;
  if (listing.users.some((user) => user.name === name)) return { user: name };
  if (listing.apps.some((app) => app.name === name)) return { app: name };
  throw new UsageError(
    `No user or app named "${name}". Users: ${listing.users.map((u) => u.name).join(', ')}. ` +
      `Apps: ${listing.apps.map((a) => a.name).join(', ')}.`,
  );
}

async function run(argv: readonly string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      v1: { type: 'boolean', default: false },
      expired: { type: 'boolean', default: false },
      audience: { type: 'string' },
      forge: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) throw new UsageError(USAGE);
  if (values.forge !== undefined && !isForgery(values.forge)) {
    throw new UsageError(`--forge must be one of ${FORGERIES.join(', ')}.`);
  }
  const baseUrl = (values.url ?? process.env[URL_ENV] ?? DEFAULT_URL).replace(/\/+$/, '');

  const request: DevTokenRequest = {
    ...(await principalRequest(baseUrl, name)),
    version: values.v1 ? 1 : 2,
    ...(values.expired ? { expired: true } : {}),
    ...(values.audience === undefined ? {} : { audience: values.audience }),
    ...(values.forge === undefined ? {} : { forge: values.forge as Forgery }),
  };
  const response = await call(`${baseUrl}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || body.access_token === undefined) {
    throw new UsageError(body.error_description ?? `The stand-in answered ${response.status}.`);
  }
  return body.access_token;
}

try {
  process.stdout.write(`${await run(process.argv.slice(2))}\n`);
} catch (error) {
  const code = (error as { code?: unknown }).code;
  const known =
    error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'));
  process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = known ? 2 : 1;
}
