import * as z from 'zod';

/**
 * The environment variables the functions read, all in one place. They are
 * read and validated once, when a function starts; a wrong value stops the
 * start with the variable's name and what it expects.
 */
// Keys and issuers are trusted only over TLS, or on this machine.
function httpsOrLoopback(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' ||
    (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
}

const settingsSchema = z.object({
  MAPPING_FILE: z.string().min(1).default('config/mapping.yaml'),
  ENTRA_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com')
    .refine(httpsOrLoopback, 'must be an https URL (http only on the loopback)'),
  TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300)
    .default(60),
  JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600)
    .default(30),
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(5_000)
    .default(3_000),
  TOKEN_FINGERPRINT_KEY: z.string().min(32, {
    message: 'must be at least 32 characters of secret material',
  }),
  STS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(5).default(3),
  STS_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(2_000),
  STS_ENDPOINT_URL: z.union([z.literal(''), z.url()]).default(''),
  STS_SESSION_CACHE_SIZE: z.coerce.number().int().min(0).max(100_000)
    .default(1000),
  WEB_IDENTITY_MODE: z.enum(['broker', 'pass-through']).default('broker'),
  BROKER_ISSUER: z.union([z.literal(''), z.url()]).default('')
    .refine((url) => url === '' || httpsOrLoopback(url),
      'must be an https URL (http only on the loopback)')
    .transform((url) => url.replace(/\/+$/, '')),
  BROKER_AUDIENCE: z.string().min(1).default('sts.amazonaws.com'),
  BROKER_KMS_KEY_IDS: z.string().default(''),
  BROKER_KEY_FILE: z.string().default(''),
  BROKER_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(900)
    .default(300),
}).superRefine((env, context) => {
  // Each STS attempt may wait a second to connect and STS_TIMEOUT_MS for the
  // answer; all attempts must end well inside the function's 20 s timeout.
  if (env.STS_MAX_ATTEMPTS * (1_000 + env.STS_TIMEOUT_MS) > 9_000) {
    context.addIssue({ code: 'custom', path: ['STS_TIMEOUT_MS'], message:
      'times STS_MAX_ATTEMPTS (plus 1 s to connect each) must stay within ' +
      '9 s, inside the function timeout' });
  }
  if (env.WEB_IDENTITY_MODE !== 'broker') return;
  if (!env.BROKER_ISSUER) {
    context.addIssue({ code: 'custom', path: ['BROKER_ISSUER'], message:
      'is required in broker mode: the public URL of this API' });
  }
  if (!env.BROKER_KMS_KEY_IDS === !env.BROKER_KEY_FILE) {
    context.addIssue({ code: 'custom', path: ['BROKER_KMS_KEY_IDS'], message:
      'or BROKER_KEY_FILE (development only) must be set, not both, in ' +
      'broker mode' });
  }
});

type Settings = {
  mappingFile: string;
  entraAuthorityHost: string;
  clockSkewSeconds: number;
  jwksCooldownSeconds: number;
  jwksTimeoutMs: number;
  tokenFingerprintKey: string;
  stsMaxAttempts: number;
  /** Per attempt; attempts times this must fit the function's timeout. */
  stsTimeoutMs: number;
  /** Empty: the SDK's regional endpoint for AWS_REGION. */
  stsEndpointUrl: string | undefined;
  /** STS sessions kept per warm function (least recently used go); 0: none. */
  stsSessionCacheSize: number;
  webIdentityMode: 'broker' | 'pass-through';
  broker: {
    issuer: string;
    audience: string;
    /** KMS key ids or ARNs; the first signs, all are published. */
    kmsKeyIds: string[];
    /** A PEM private key file, instead of KMS, for development. */
    keyFile: string | undefined;
    lifetimeSeconds: number;
  };
};

/** Thrown when a setting is wrong; the message names it and the fix. */
class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads the function's settings from `env`, failing with every problem. */
function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new SettingsError(
      `Invalid settings (environment variables): ${problems.join('; ')}.`,
    );
  }

  const values = parsed.data;
  return {
    mappingFile: values.MAPPING_FILE,
    entraAuthorityHost: values.ENTRA_AUTHORITY_HOST.replace(/\/+$/, ''),
    clockSkewSeconds: values.TOKEN_CLOCK_SKEW_SECONDS,
    jwksCooldownSeconds: values.JWKS_COOLDOWN_SECONDS,
    jwksTimeoutMs: values.JWKS_TIMEOUT_MS,
    tokenFingerprintKey: values.TOKEN_FINGERPRINT_KEY,
    stsMaxAttempts: values.STS_MAX_ATTEMPTS,
    stsTimeoutMs: values.STS_TIMEOUT_MS,
    stsEndpointUrl: values.STS_ENDPOINT_URL || undefined,
    stsSessionCacheSize: values.STS_SESSION_CACHE_SIZE,
    webIdentityMode: values.WEB_IDENTITY_MODE,
    broker: {
      issuer: values.BROKER_ISSUER,
      audience: values.BROKER_AUDIENCE,
      kmsKeyIds: values.BROKER_KMS_KEY_IDS.split(',').map((id) => id.trim())
        .filter(Boolean),
      keyFile: values.BROKER_KEY_FILE || undefined,
      lifetimeSeconds: values.BROKER_TOKEN_LIFETIME_SECONDS,
    },
  };
}

export { readSettings, SettingsError };
export type { Settings };
