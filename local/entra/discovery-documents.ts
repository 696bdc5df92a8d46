/**
 * OpenID Connect discovery documents in Entra's v1 and v2 forms. Issuers are
 * Entra's real issuer strings, since that is what tokens carry and verifiers
 * pin; the endpoints point back at the stand-in, so a client that follows
 * `jwks_uri` or `token_endpoint` stays on this machine.
 */
import { v1Issuer, v2Issuer } from './issuers.js';

/** What Entra writes where a common-endpoint document names the tenant. */
const TENANT_PLACEHOLDER = '{tenantid}';

/** The tenant part of a document: a real tenant or the `common` endpoint. */
interface DocumentTenant {
  /** The path segment the endpoints use: a tenant GUID or `common`. */
  readonly segment: string;
  /** The GUID that goes into the issuer, or {@link TENANT_PLACEHOLDER}. */
  readonly issuerTenant: string;
}

const CLOUD_FIELDS = {
  cloud_instance_name: 'microsoftonline.com',
  cloud_graph_host_name: 'graph.windows.net',
  msgraph_host: 'graph.microsoft.com',
  rbac_url: 'https://pas.windows.net',
} as const;

const SHARED_FIELDS = {
  token_endpoint_auth_methods_supported: [
    'client_secret_post',
    'private_key_jwt',
    'client_secret_basic',
  ],
  response_modes_supported: ['query', 'fragment', 'form_post'],
  subject_types_supported: ['pairwise'],
  id_token_signing_alg_values_supported: ['RS256'],
  http_logout_supported: true,
  frontchannel_logout_supported: true,
} as const;

function regionScope(tenant: DocumentTenant): string | null {
  return tenant.issuerTenant === TENANT_PLACEHOLDER ? null : 'EU';
}

/** `/{tid}/v2.0/.well-known/openid-configuration`. */
function v2Configuration(baseUrl: string, tenant: DocumentTenant): Record<string, unknown> {
  const root = `${baseUrl}/${tenant.segment}`;
  return {
    token_endpoint: `${root}/oauth2/v2.0/token`,
    jwks_uri: `${root}/discovery/v2.0/keys`,
    issuer: v2Issuer(tenant.issuerTenant),
    authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name',
      'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time',
      'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash',
      'c_hash', 'email',
    ],
    request_uri_parameter_supported: false,
    ...SHARED_FIELDS,
    tenant_region_scope: regionScope(tenant),
    ...CLOUD_FIELDS,
  };
}

/**
 * `/{tid}/.well-known/openid-configuration`. As on Entra, the v1 document's
 * `jwks_uri` is the common key set, whatever tenant was asked for.
 */
function v1Configuration(baseUrl: string, tenant: DocumentTenant): Record<string, unknown> {
  const root = `${baseUrl}/${tenant.segment}`;
  return {
    token_endpoint: `${root}/oauth2/token`,
    jwks_uri: `${baseUrl}/common/discovery/keys`,
    issuer: v1Issuer(tenant.issuerTenant),
    authorization_endpoint: `${root}/oauth2/authorize`,
    device_authorization_endpoint: `${root}/oauth2/devicecode`,
    end_session_endpoint: `${root}/oauth2/logout`,
    userinfo_endpoint: `${root}/openid/userinfo`,
    check_session_iframe: `${root}/oauth2/checksession`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    claims_supported: [
      'sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name',
      'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time',
      'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname',
    ],
    microsoft_multi_refresh_token: true,
    ...SHARED_FIELDS,
    tenant_region_scope: regionScope(tenant),
    ...CLOUD_FIELDS,
  };
}

export { TENANT_PLACEHOLDER, v1Configuration, v2Configuration };
export type { DocumentTenant };
