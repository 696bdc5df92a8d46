/**
 * `aurora-aad login`: signs in to Entra and keeps the tokens in the user's
 * configuration directory (owner-only), so later commands refresh silently.
 * A browser with PKCE by default, `--device-code` without a browser, or
 * `--az` to take tokens from the Azure CLI each time.
 */
import { azureCliToken } from '../../sdk/az-cli-token.js';
import { entraConfiguration } from '../../sdk/entra-authority.js';
import { accountOf, withTokens, writeSignIn } from '../../sdk/token-cache.js';
import type { SignIn } from '../../sdk/token-cache.js';
import { signInWithBrowser } from '../browser-sign-in.js';
import { COMMON_HELP, parseCommand, resolveSettings } from '../cli-settings.js';
import type { Command } from '../command.js';
import { signInWithDeviceCode } from '../device-code-sign-in.js';
import { EXIT, reportFailure, UsageError } from '../exit-codes.js';

const HELP = `usage: aurora-aad login [--device-code | --az] [--no-browser] [options]

Signs in to Entra ID and caches the tokens for this profile.
  (default)        browser sign-in (authorization code + PKCE, loopback redirect)
  --device-code    sign in on another device: open the page shown and enter the code
  --az             use \`az account get-access-token\` on every call instead
  --no-browser     print the sign-in URL without opening a browser
${COMMON_HELP}`;

async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommand(args, {
      'device-code': { type: 'boolean' },
      az: { type: 'boolean' },
      'no-browser': { type: 'boolean' },
    });
    if (values.help) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    const settings = await resolveSettings(values);
    if (!settings.apiUrl) {
      throw new UsageError('Pass --api-url (or AURORA_AAD_API_URL) the first time you sign in.');
    }
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const base = {
      authorityHost: settings.authorityHost,
      scope: settings.scope,
      apiUrl: settings.apiUrl,
    };

    let signIn: SignIn;
    if (values.az) {
      const { accessToken } = await azureCliToken({
        scope: settings.scope,
        ...(settings.tenant ? { tenant: settings.tenant } : {}),
      });
      signIn = {
        ...base, method: 'az', tenant: settings.tenant ?? '', clientId: settings.clientId ?? '',
        account: accountOf(accessToken),
      };
    } else {
      if (!settings.tenant || !settings.clientId) {
        throw new UsageError(
          'Pass --tenant and --client-id (or AURORA_AAD_TENANT and AURORA_AAD_CLIENT_ID).',
        );
      }
      const config = entraConfiguration({ ...base, tenant: settings.tenant,
        clientId: settings.clientId });
      const tokens = values['device-code']
        ? await signInWithDeviceCode(config, settings.scope, say)
        : await signInWithBrowser(config, settings.scope,
          { openBrowser: !values['no-browser'], say });
      signIn = withTokens(
        { ...base, method: 'entra', tenant: settings.tenant, clientId: settings.clientId },
        tokens,
      );
    }

    const path = await writeSignIn(signIn, { profile: settings.profile });
    const who = signIn.account?.username ?? signIn.account?.objectId ?? 'unknown account';
    process.stdout.write(`Signed in as ${who} (profile ${settings.profile}); cache ${path}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

const login: Command = {
  name: 'login',
  summary: 'sign in to Entra ID (browser, --device-code or --az) and cache the tokens',
  run,
};

export { login };
