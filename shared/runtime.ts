import { isAbsolute, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import { loadMapping } from './config/mapping.js';
import type { Mapping } from './config/mapping-schema.js';
import { readSettings } from './config/settings.js';
import type { Settings } from './config/settings.js';
import { TenantKeySets } from './identity/key-sets.js';
import type { VerifyOptions } from './identity/verify-entra-token.js';

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
  logger: Logger;
}

interface RuntimeOverrides {
  mapping?: Mapping;
  sts?: STSClient;
  logger?: Logger;
}

function createRuntime(
  env: NodeJS.ProcessEnv = process.env,
  overrides: RuntimeOverrides = {},
): Runtime {
  const settings = readSettings(env);
  const mapping = overrides.mapping ?? loadMapping(mappingPath(settings, env));
  const keySets = new TenantKeySets({
    authorityHost: settings.entraAuthorityHost,
    cooldownSeconds: settings.jwksCooldownSeconds,
    timeoutMs: settings.jwksTimeoutMs,
  });

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
      ...(settings.stsEndpointUrl ? { endpoint: settings.stsEndpointUrl } : {}),
    }),
    logger: overrides.logger ?? new Logger({ serviceName: 'aurora-aad' }),
  };
}

// Relative paths are relative to the deployed code's root (Lambda's task
// root), or the working directory when run elsewhere.
function mappingPath(settings: Settings, env: NodeJS.ProcessEnv): string {
  if (isAbsolute(settings.mappingFile)) return settings.mappingFile;
  return resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), settings.mappingFile);
}

export { createRuntime };
export type { Runtime, RuntimeOverrides };
