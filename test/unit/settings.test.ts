import { describe, expect, it } from 'vitest';
import { readSettings } from '../../shared/config/settings.js';

const key = 'k'.repeat(32);

describe('readSettings', () => {
  it('applies defaults', () => {
    expect(readSettings({ TOKEN_FINGERPRINT_KEY: key })).toEqual({
      mappingFile: 'config/mapping.yaml',
      entraAuthorityHost: 'https://login.microsoftonline.com',
      clockSkewSeconds: 60,
      jwksCooldownSeconds: 30,
      jwksTimeoutMs: 3000,
      tokenFingerprintKey: key,
      stsMaxAttempts: 3,
      stsEndpointUrl: undefined,
    });
  });

  it('names each wrong variable', () => {
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: 'short',
      TOKEN_CLOCK_SKEW_SECONDS: '900',
      ENTRA_AUTHORITY_HOST: 'not a url',
    })).toThrow(/ENTRA_AUTHORITY_HOST.*TOKEN_CLOCK_SKEW_SECONDS.*TOKEN_FINGERPRINT_KEY: must be at least 32/);
  });

  it('trims a trailing slash from the authority host', () => {
    expect(readSettings({
      TOKEN_FINGERPRINT_KEY: key,
      ENTRA_AUTHORITY_HOST: 'http://127.0.0.1:4010/',
    }).entraAuthorityHost).toBe('http://127.0.0.1:4010');
  });
});
