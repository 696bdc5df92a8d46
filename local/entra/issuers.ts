/**
 * Entra's issuer strings. v1 and v2 tokens of one tenant name different
 * issuers, and a verifier has to pin the right one for the `ver` it reads, so
 * every place that writes an issuer takes it from here.
 */

/** Access-token and ID-token versions Entra issues. */
type TokenVersion = 1 | 2;

/** `https://sts.windows.net/{tid}/`, the issuer of v1 tokens. */
function v1Issuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** `https://login.microsoftonline.com/{tid}/v2.0`, the issuer of v2 tokens. */
function v2Issuer(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

/** The issuer a token of `version` for `tenantId` carries. */
function issuerFor(version: TokenVersion, tenantId: string): string {
  return version === 1 ? v1Issuer(tenantId) : v2Issuer(tenantId);
}

export { issuerFor, v1Issuer, v2Issuer };
export type { TokenVersion };
