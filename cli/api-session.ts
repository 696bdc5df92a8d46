/**
 * The API client a command uses: the Entra token comes from
 * AURORA_AAD_ACCESS_TOKEN when it is set (scripts, CI), otherwise from the
 * profile's sign-in cache, refreshed silently.
 */
import { createApiClient } from '../sdk/client.js';
import type { ApiClient, TokenSource } from '../sdk/client.js';
import { fromCliCache, fromEnvironment, TOKEN_VARIABLE } from '../sdk/token-sources.js';
import type { CliSettings } from './cli-settings.js';
import { UsageError } from './exit-codes.js';

const USER_AGENT = 'aurora-aad-cli/0.1.0';

/** The token source for these settings. */
function tokenSourceFor(settings: CliSettings): TokenSource {
  return process.env[TOKEN_VARIABLE]
    ? fromEnvironment(TOKEN_VARIABLE)
    : fromCliCache({ profile: settings.profile });
}

/** A client for the settings' API; a usage error when no API URL is known. */
function apiClientFor(settings: CliSettings): ApiClient {
  if (!settings.apiUrl) {
    throw new UsageError(
      'No API URL: pass --api-url or set AURORA_AAD_API_URL (login saves it for the profile).',
    );
  }
  return createApiClient({
    baseUrl: settings.apiUrl,
    tokenSource: tokenSourceFor(settings),
    userAgent: USER_AGENT,
  });
}

export { apiClientFor, tokenSourceFor };
