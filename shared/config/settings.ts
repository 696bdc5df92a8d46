import { z } from 'zod';

/**
 * The environment variables the functions read, all in one place. They are
 * read and validated once, when a function starts; a wrong value stops the
 * start with the variable's name and what it expects.
 */
const settingsSchema = z.object({
  MAPPING_FILE: z.string().min(1).default('config/mapping.yaml'),
  ENTRA_AUTHORITY_HOST: z.url().default('https://login.microsoftonline.com'),
  TOKEN_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300)
    .default(60),
  JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600)
    .default(30),
  JWKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000)
    .default(3_000),
  TOKEN_FINGERPRINT_KEY: z.string().min(32, {
    message: 'must be at least 32 characters of secret material',
  }),
  STS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(5).default(3),
  STS_ENDPOINT_URL: z.union([z.literal(''), z.url()]).default(''),
});

type Settings = {
  mappingFile: string;
  entraAuthorityHost: string;
  clockSkewSeconds: number;
  jwksCooldownSeconds: number;
  jwksTimeoutMs: number;
  tokenFingerprintKey: string;
  stsMaxAttempts: number;
  /** Empty: the SDK's regional endpoint for AWS_REGION. */
  stsEndpointUrl: string | undefined;
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
    stsEndpointUrl: values.STS_ENDPOINT_URL || undefined,
  };
}

export { readSettings, SettingsError };
export type { Settings };
