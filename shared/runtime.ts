import { isAbsolute, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import { fileSigningKey, kmsSigningKey } from './broker/signing-key.js';
import type { SigningKey } from './broker/signing-key.js';
import { brokered, passThrough } from './broker/web-identity-source.js';
import type { WebIdentitySource } from './broker/web-identity-source.js';
import { loadMapping } from './config/mapping.js';
import type { Mapping } from './config/mapping-schema.js';
import { readSettings } from './config/settings.js';
import type { Settings } from './config/settings.js';
import { TenantKeySets } from './identity/key-sets.js';
import type { VerifyOptions } from './identity/verify-entra-token.js';
import { SessionCache } from './sts/session-cache.js';

/**
 * Everything a request needs that outlives it: settings and mapping (read
 * and validated once, at start), the tenants' key sets, the STS client and
 * the logger. Created at module scope by the functions, so warm requests
 * reuse all of it; tests create their own with overrides.
 */
interface Runtime {
  settings: Settings;
  mapping: Mapping;
  verify: VerifyOptions;
  sts: STSClient;
  /** STS sessions kept across warm requests, per caller and grant. */
  sessions: SessionCache;
  logger: Logger;
  /** Broker mode: the signing key first, then keys kept for overlap. */
  signingKeys: SigningKey[];
  webIdentity: WebIdentitySource;
}

interface RuntimeOverrides {
  mapping?: Mapping;
  sts?: STSClient;
  logger?: Logger;
  kms?: KMSClient;
  sessions?: SessionCache;
}

function createRuntime(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RuntimeOverrides = {},
): Runtime {
  const settings = readSettings(env);
  const mapping = overrides.mapping ??
    loadMapping(resolvePath(settings.mappingFile));
  const keySets = new TenantKeySets({
    authorityHost: settings.entraAuthorityHost,
    cooldownSeconds: settings.jwksCooldownSeconds,
    timeoutMs: settings.jwksTimeoutMs,
  });

  const logger = overrides.logger ?? new Logger({ serviceName: 'aurora-aad' });
  const signingKeys = brokerKeys(settings, overrides.kms);
  const [signingKey] = signingKeys;
  if (!signingKey) warnPassThrough(logger);

  return {
    settings,
    mapping,
    verify: {
      keySets,
      tenants: mapping.tenants,
      audiences: mapping.audiences,
      scope: mapping.scope,
      appRole: mapping.appRole,
      clockSkewSeconds: settings.clockSkewSeconds,
    },
    // The region comes from AWS_REGION; the endpoint is STS's own unless
    // STS_ENDPOINT_URL names another (the local stack's stand-in).
    sts: overrides.sts ?? new STSClient({
      maxAttempts: settings.stsMaxAttempts,
      // A hung STS must fail the request in time to answer and audit it.
      requestHandler: {
        connectionTimeout: 1_000,
        requestTimeout: settings.stsTimeoutMs,
        throwOnRequestTimeout: true,
      },
      ...(settings.stsEndpointUrl ? { endpoint: settings.stsEndpointUrl } : {}),
    }),
    sessions: overrides.sessions ??
      new SessionCache({ maxEntries: settings.stsSessionCacheSize }),
    logger,
    signingKeys,
    webIdentity: signingKey
      ? brokered(signingKey, {
        issuer: settings.broker.issuer,
        audience: settings.broker.audience,
        lifetimeSeconds: settings.broker.lifetimeSeconds,
      })
      : passThrough(),
  };
}

function brokerKeys(settings: Settings, kms: KMSClient | undefined):
  SigningKey[] {
  if (settings.webIdentityMode !== 'broker') return [];
  const { keyFile, kmsKeyIds } = settings.broker;
  if (keyFile) return [fileSigningKey(resolvePath(keyFile))];
  // Like STS, a hung KMS must fail the request in time to answer it.
  const client = kms ?? new KMSClient({
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: 1_000,
      requestTimeout: 1_500,
      throwOnRequestTimeout: true,
    },
  });
  return kmsKeyIds.map((keyId) => kmsSigningKey(client, keyId));
}

// Said at every start in pass-through mode, where operators read logs.
function warnPassThrough(logger: Logger): void {
  logger.warn('WEB_IDENTITY_MODE is pass-through: STS receives callers\' ' +
    'Entra tokens, so anyone whose token a role trust policy accepts can ' +
    'call STS directly and skip the mapping. Use broker mode in production.');
}

// Relative paths are relative to the working directory: the deployed
// code's root in Lambda (/var/task), the service folder under
// serverless-offline.
function resolvePath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

export { createRuntime };
export type { Runtime, RuntimeOverrides };
