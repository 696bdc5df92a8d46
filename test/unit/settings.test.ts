import { describe, expect, it } from 'vitest';
import { readSettings } from '../../shared/config/settings.js';

const key = 'k'.repeat(32);

describe('readSettings', () => {
  it('applies defaults', () => {
    expect(readSettings({
      TOKEN_FINGERPRINT_KEY: key,
      BROKER_ISSUER: 'https://auth.example.com/',
      BROKER_KMS_KEY_IDS: 'arn:aws:kms:eu-west-1:111122223333:key/new, ' +
        'arn:aws:kms:eu-west-1:111122223333:key/old',
    })).toEqual({
      mappingFile: 'config/mapping.yaml',
      entraAuthorityHost: 'https://login.microsoftonline.com',
      clockSkewSeconds: 60,
      jwksCooldownSeconds: 30,
      jwksTimeoutMs: 3000,
      tokenFingerprintKey: key,
      stsMaxAttempts: 3,
      stsTimeoutMs: 2000,
      stsEndpointUrl: undefined,
      stsSessionCacheSize: 1000,
      webIdentityMode: 'broker',
      broker: {
        issuer: 'https://auth.example.com',
        audience: 'sts.amazonaws.com',
        kmsKeyIds: [
          'arn:aws:kms:eu-west-1:111122223333:key/new',
          'arn:aws:kms:eu-west-1:111122223333:key/old',
        ],
        keyFile: undefined,
        lifetimeSeconds: 300,
      },
    });
  });

  it('requires an issuer and one key source in broker mode', () => {
    expect(() => readSettings({ TOKEN_FINGERPRINT_KEY: key })).toThrow(
      /BROKER_ISSUER: is required in broker mode.*BROKER_KMS_KEY_IDS: or BROKER_KEY_FILE/,
    );
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: key, BROKER_ISSUER: 'https://a.example',
      BROKER_KMS_KEY_IDS: 'k', BROKER_KEY_FILE: 'f.pem',
    })).toThrow(/not both/);
  });

  it('refuses STS timeouts that would outlast the function', () => {
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: key, WEB_IDENTITY_MODE: 'pass-through',
      STS_MAX_ATTEMPTS: '5', STS_TIMEOUT_MS: '5000',
    })).toThrow(/STS_TIMEOUT_MS: times STS_MAX_ATTEMPTS/);
  });

  it('refuses to fetch Entra keys over plain http off the loopback', () => {
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: key, WEB_IDENTITY_MODE: 'pass-through',
      ENTRA_AUTHORITY_HOST: 'http://login.example.com',
    })).toThrow(/ENTRA_AUTHORITY_HOST: must be an https URL/);
  });

  it('refuses a plain-http issuer off the loopback', () => {
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: key, BROKER_ISSUER: 'http://auth.example.com',
      BROKER_KEY_FILE: 'f.pem',
    })).toThrow(/BROKER_ISSUER: must be an https URL/);
  });

  it('needs no broker settings in pass-through mode', () => {
    expect(readSettings({
      TOKEN_FINGERPRINT_KEY: key, WEB_IDENTITY_MODE: 'pass-through',
    }).webIdentityMode).toBe('pass-through');
  });

  it('names each wrong variable', () => {
    expect(() => readSettings({
      TOKEN_FINGERPRINT_KEY: 'short',
      WEB_IDENTITY_MODE: 'pass-through',
      TOKEN_CLOCK_SKEW_SECONDS: '900',
      ENTRA_AUTHORITY_HOST: 'not a url',
    })).toThrow(/ENTRA_AUTHORITY_HOST.*TOKEN_CLOCK_SKEW_SECONDS.*TOKEN_FINGERPRINT_KEY: must be at least 32/);
  });

  it('trims a trailing slash from the authority host', () => {
    expect(readSettings({
      TOKEN_FINGERPRINT_KEY: key,
      WEB_IDENTITY_MODE: 'pass-through',
      ENTRA_AUTHORITY_HOST: 'http://127.0.0.1:4010/',
    }).entraAuthorityHost).toBe('http://127.0.0.1:4010');
  });
});
