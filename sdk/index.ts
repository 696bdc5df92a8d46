/**
 * The aurora-aad SDK: a typed client for the API (generated from
 * openapi.yaml), a credentials provider that caches per target and user and
 * refreshes after `refreshAfter`, pool settings for pg and mysql2, and the
 * token sources that say where the caller's Entra token comes from.
 * docs/sdk.md shows them together.
 */
export { azureCliToken } from './az-cli-token.js';
export { createApiClient } from './client.js';
export type {
  ApiClient,
  ApiClientOptions,
  Connection,
  CredentialRequest,
  CredentialResponse,
  TargetList,
  TokenSource,
} from './client.js';
export { configDirectory } from './config-directory.js';
export { createCredentialsProvider } from './credentials-provider.js';
export type { CredentialsProvider, CredentialsProviderOptions } from './credentials-provider.js';
export { ApiProblemError, AuroraAadError, TokenSourceError } from './errors.js';
export type { ApiErrorCode, ClientErrorCode, Problem } from './errors.js';
export { mysqlConfig } from './mysql.js';
export type { MysqlConfigOptions } from './mysql.js';
export { pgConfig } from './pg.js';
export type { PgConfigOptions } from './pg.js';
export { defaultRdsCaPath, GLOBAL_BUNDLE_URL, loadRdsCa } from './rds-ca.js';
export type { RdsCaOptions } from './rds-ca.js';
export {
  fromAzureCli,
  fromClientCredentials,
  fromCliCache,
  fromEnvironment,
  fromFunction,
  TOKEN_VARIABLE,
} from './token-sources.js';
export type { ClientCredentialsOptions } from './token-sources.js';
