/**
 * Sign-in with the device code flow: for machines without a browser (SSH
 * sessions, containers). The user opens the page Entra names, types the
 * code, and the CLI polls until Entra answers with tokens.
 */
import * as oidc from 'openid-client';

/** Shows Entra's instructions; tests read the code from it. */
type Say = (line: string) => void;

/** Runs the flow; resolves with Entra's token response. */
async function signInWithDeviceCode(
  config: oidc.Configuration,
  scope: string,
  say: Say,
): Promise<oidc.TokenEndpointResponse> {
  const device = await oidc.initiateDeviceAuthorization(config, {
    scope: `${scope} offline_access`,
  });
  say(typeof device['message'] === 'string'
    ? device['message']
    : `To sign in, open ${device.verification_uri} and enter the code ${device.user_code}.`);
  return oidc.pollDeviceAuthorizationGrant(config, device);
}

export { signInWithDeviceCode };
