/**
 * The CLI's sign-in cache: one JSON file per profile in the user's
 * configuration directory, readable by its owner only (0600 in a 0700
 * directory), since it holds a refresh token. `aurora-aad login` writes it;
 * the CLI's other commands and the SDK's `fromCliCache` read it and refresh
 * the access token silently when it is about to expire.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { azureCliToken } from './az-cli-token.js';
import { configDirectory } from './config-directory.js';
import { entraConfiguration } from './entra-authority.js';
import { TokenSourceError } from './errors.js';

/** One profile's sign-in: how to get tokens and the latest ones. */
interface SignIn {
  /** `entra`: tokens from Entra, refreshed here; `az`: asked of the Azure CLI each time. */
  readonly method: 'entra' | 'az';
  readonly authorityHost: string;
  readonly tenant: string;
  readonly clientId: string;
  /** The API scope, e.g. `api://aurora-aad/Credentials.Issue`. */
  readonly scope: string;
  /** Where this profile's API is, so later commands need no flags. */
  readonly apiUrl: string;
  accessToken?: string;
  /** ISO time the access token expires. */
  expiresAt?: string;
  refreshToken?: string;
  /** Who signed in, for display only (from the token's claims). */
  account?: { username?: string; tenantId?: string; objectId?: string };
}

/** Where to look. */
interface CacheLocation {
  /** Default `default`; the CLI's `--local` uses `local`. */
  readonly profile?: string;
  /** Default: {@link configDirectory}. */
  readonly directory?: string;
}

/** A token fresh for at least this long is used as is. */
const MIN_VALIDITY_MS = 5 * 60_000;

function cachePath(location: CacheLocation = {}): string {
  const profile = location.profile ?? 'default';
  if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(profile)) {
    throw new TokenSourceError(`The profile name "${profile}" is not a-z, 0-9, "_" or "-".`);
  }
  return join(location.directory ?? configDirectory(), `sign-in.${profile}.json`);
}

/** The profile's sign-in, or undefined when nobody signed in. */
async function readSignIn(location: CacheLocation = {}): Promise<SignIn | undefined> {
  let text: string;
  try {
    text = await readFile(cachePath(location), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as SignIn;
  } catch (error) {
    throw new TokenSourceError(
      `The sign-in cache ${cachePath(location)} is damaged; run \`aurora-aad login\` again.`,
      { cause: error },
    );
  }
}

/** Writes atomically with owner-only permissions; the directory becomes 0700. */
async function writeSignIn(signIn: SignIn, location: CacheLocation = {}): Promise<string> {
  const path = cachePath(location);
  const directory = location.directory ?? configDirectory();
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(signIn, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
  return path;
}

/** Forgets the profile's sign-in; true when there was one. */
async function deleteSignIn(location: CacheLocation = {}): Promise<boolean> {
  const existed = (await readSignIn(location)) !== undefined;
  await rm(cachePath(location), { force: true });
  return existed;
}

/** Display hints from an access token's payload; never used to decide anything. */
function accountOf(accessToken: string): SignIn['account'] {
  try {
    const claims = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    const text = (name: string) =>
      typeof claims[name] === 'string' ? (claims[name] as string) : undefined;
    const username = text('preferred_username') ?? text('upn') ?? text('unique_name');
    return {
      ...(username ? { username } : {}),
      ...(text('tid') ? { tenantId: text('tid') } : {}),
      ...(text('oid') ? { objectId: text('oid') } : {}),
    };
  } catch {
    return {};
  }
}

/** Copies a token-endpoint answer into a sign-in. */
function withTokens(signIn: SignIn, tokens: oidc.TokenEndpointResponse): SignIn {
  const lifetime = (tokens.expires_in ?? 3600) * 1000;
  return {
    ...signIn,
    accessToken: tokens.access_token,
    expiresAt: new Date(Date.now() + lifetime).toISOString(),
    refreshToken: tokens.refresh_token ?? signIn.refreshToken,
    account: accountOf(tokens.access_token),
  };
}

function stillFresh(signIn: SignIn): boolean {
  if (!signIn.accessToken || !signIn.expiresAt) return false;
  return Date.parse(signIn.expiresAt) - Date.now() > MIN_VALIDITY_MS;
}

async function refreshed(signIn: SignIn): Promise<SignIn> {
  if (!signIn.refreshToken) {
    throw new TokenSourceError('Your sign-in has expired; run `aurora-aad login` again.');
  }
  try {
    const config = entraConfiguration(signIn);
    const tokens = await oidc.refreshTokenGrant(config, signIn.refreshToken, {
      scope: `${signIn.scope} offline_access`,
    });
    return withTokens(signIn, tokens);
  } catch (error) {
    const reason = error instanceof oidc.ResponseBodyError ? ` (${error.error})` : '';
    throw new TokenSourceError(
      `Your sign-in could not be refreshed${reason}; run \`aurora-aad login\` again.`,
      { cause: error },
    );
  }
}

const refreshing = new Map<string, Promise<string>>();

/**
 * A valid access token for the profile: the cached one while it has more
 * than five minutes left, else a silent refresh (saved back to the cache),
 * else the Azure CLI for a profile signed in with `--az`. Concurrent callers
 * in one process share a refresh.
 */
async function cachedAccessToken(location: CacheLocation = {}): Promise<string> {
  const path = cachePath(location);
  const pending = refreshing.get(path);
  if (pending) return pending;

  const work = (async () => {
    const signIn = await readSignIn(location);
    if (signIn === undefined) {
      throw new TokenSourceError(
        `Not signed in (profile ${location.profile ?? 'default'}); run \`aurora-aad login\`.`,
      );
    }
    if (signIn.method === 'az') {
      const { accessToken } = await azureCliToken(signIn);
      return accessToken;
    }
    if (stillFresh(signIn)) return signIn.accessToken!;
    const renewed = await refreshed(signIn);
    await writeSignIn(renewed, location);
    return renewed.accessToken!;
  })().finally(() => refreshing.delete(path));
  refreshing.set(path, work);
  return work;
}

export {
  accountOf,
  cachedAccessToken,
  cachePath,
  deleteSignIn,
  readSignIn,
  withTokens,
  writeSignIn,
};
export type { CacheLocation, SignIn };
