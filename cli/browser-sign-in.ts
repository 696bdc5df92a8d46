/**
 * Sign-in with the authorization code flow and PKCE, the way desktop apps
 * sign in to Entra: a one-shot HTTP server on the loopback receives the
 * redirect (Entra allows any port on http://localhost for public clients),
 * and the code is redeemed with the verifier only this process knows.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';

/** How long the CLI waits for the browser to come back. */
const WAIT_MS = 5 * 60_000;

/** Tries the platform's opener; the URL is printed either way. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]]
      : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

/** Runs the flow; resolves with Entra's token response. */
async function signInWithBrowser(
  config: oidc.Configuration,
  scope: string,
  options: { openBrowser: boolean; say: (line: string) => void },
): Promise<oidc.TokenEndpointResponse> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  let settle!: { resolve: (url: URL) => void; reject: (error: Error) => void };
  const redirected = new Promise<URL>((resolve, reject) => (settle = { resolve, reject }));

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://localhost:${(server.address() as AddressInfo).port}`);
    if (url.pathname !== '/' || (!url.searchParams.has('code') && !url.searchParams.has('error'))) {
      response.writeHead(404).end();
      return;
    }
    const failed = url.searchParams.has('error');
    response.writeHead(failed ? 400 : 200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(failed ? 'Sign-in failed; see the terminal.\n'
      : 'Signed in to aurora-aad. You can close this tab.\n');
    settle.resolve(url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://localhost:${(server.address() as AddressInfo).port}/`;
  const timer = setTimeout(() => settle.reject(new Error(
    'No answer from the browser within 5 minutes; run `aurora-aad login --device-code` ' +
      'on a machine without a browser.',
  )), WAIT_MS);

  try {
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: `${scope} offline_access`,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    options.say(`Sign in at: ${authorizationUrl.href}`);
    if (options.openBrowser) openBrowser(authorizationUrl.href);
    const callback = await redirected;
    return await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    }, { redirect_uri: redirectUri });
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  }
}

export { signInWithBrowser };
