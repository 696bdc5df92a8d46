/**
 * The openid-client configuration for one Entra tenant and client. The
 * endpoints are Entra's fixed v2 paths under the authority host, so no
 * discovery round trip is made and a local development IdP at another host
 * works the same way.
 */
import * as oidc from 'openid-client';
import { requireSecureUrl } from './secure-url.js';

/** An Entra tenant and the client application that signs in to it. */
interface EntraAuthority {
  /** Default `https://login.microsoftonline.com`. */
  readonly authorityHost?: string;
  /** Tenant GUID or domain. */
  readonly tenant: string;
  /** The client application's id (the CLI's, or a service's). */
  readonly clientId: string;
}

const PUBLIC_CLOUD = 'https://login.microsoftonline.com';

/**
 * Builds the configuration. `clientAuth` defaults to none: the CLI is a
 * public client. Throws when the authority is plain HTTP anywhere but the
 * loopback, since tokens would cross the network in the clear.
 */
function entraConfiguration(
  authority: EntraAuthority,
  clientAuth: oidc.ClientAuth = oidc.None(),
): oidc.Configuration {
  const host = requireSecureUrl(authority.authorityHost ?? PUBLIC_CLOUD,
    'Entra authority');
  const root = `${host.origin}/${encodeURIComponent(authority.tenant)}`;
  const config = new oidc.Configuration(
    {
      issuer: `${root}/v2.0`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    },
    authority.clientId,
    undefined,
    clientAuth,
  );
  if (host.protocol === 'http:') oidc.allowInsecureRequests(config);
  return config;
}

export { entraConfiguration, PUBLIC_CLOUD };
export type { EntraAuthority };
