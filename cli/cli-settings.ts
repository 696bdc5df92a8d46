/**
 * Options every command shares and the settings they resolve to: which API,
 * which Entra tenant and client, which sign-in profile. Each setting is
 * taken from its flag, then its environment variable, then the profile's
 * saved sign-in, then a default; `--local` picks the local stack's values.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { readSignIn } from '../sdk/token-cache.js';
import { UsageError } from './exit-codes.js';

/** Resolved settings for one run. */
interface CliSettings {
  readonly profile: string;
  readonly apiUrl: string | undefined;
  readonly authorityHost: string;
  readonly tenant: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON_OPTIONS = {
  local: { type: 'boolean' },
  profile: { type: 'string' },
  'api-url': { type: 'string' },
  authority: { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  scope: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The local stack's development directory (local/entra/directory.yaml). */
const LOCAL = {
  apiUrl: 'http://127.0.0.1:3000',
  authorityHost: 'http://127.0.0.1:4010',
  tenant: 'cfe917f4-2d4b-4269-87e5-caaf86008490',
  clientId: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
};

const DEFAULT_SCOPE = 'api://aurora-aad/Credentials.Issue';

/** Parses a command's arguments together with the common options. */
function parseCommand<T extends Options>(args: string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`Unexpected argument "${parsed.positionals[positionals]}".`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message);
  }
}

/** Resolves the settings from parsed common options and the environment. */
async function resolveSettings(
  values: { [K in keyof typeof COMMON_OPTIONS]?: string | boolean | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliSettings> {
  const flag = (name: keyof typeof COMMON_OPTIONS) =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  const local = values.local === true;
  const profile = flag('profile') ?? (local ? 'local' : 'default');
  const saved = await readSignIn({ profile });

  return {
    profile,
    apiUrl: flag('api-url') ?? env['AURORA_AAD_API_URL'] ?? saved?.apiUrl ??
      (local ? LOCAL.apiUrl : undefined),
    authorityHost: flag('authority') ??
      (local ? env['AURORA_AAD_ENTRA_URL'] : env['AURORA_AAD_AUTHORITY']) ??
      saved?.authorityHost ?? (local ? LOCAL.authorityHost : 'https://login.microsoftonline.com'),
    tenant: flag('tenant') ?? env['AURORA_AAD_TENANT'] ?? saved?.tenant ??
      (local ? LOCAL.tenant : undefined),
    clientId: flag('client-id') ?? env['AURORA_AAD_CLIENT_ID'] ?? saved?.clientId ??
      (local ? LOCAL.clientId : undefined),
    scope: flag('scope') ?? env['AURORA_AAD_SCOPE'] ?? saved?.scope ?? DEFAULT_SCOPE,
  };
}

/** Lines for `--help`, shared by every command. */
const COMMON_HELP = `
common options:
  --local              use the local stack (npm run stack) and its development directory
  --profile NAME       sign-in profile (default "default"; "local" with --local)
  --api-url URL        the API (AURORA_AAD_API_URL)
  --tenant ID          Entra tenant GUID or domain (AURORA_AAD_TENANT)
  --client-id ID       the CLI's app registration (AURORA_AAD_CLIENT_ID)
  --scope SCOPE        the API's delegated scope (AURORA_AAD_SCOPE)
  --authority URL      Entra authority host (AURORA_AAD_AUTHORITY)

AURORA_AAD_ACCESS_TOKEN, when set, is used as the Entra token instead of the sign-in cache.
Exit codes: docs/cli.md.
`;

export { COMMON_HELP, COMMON_OPTIONS, DEFAULT_SCOPE, LOCAL, parseCommand, resolveSettings };
export type { CliSettings };
