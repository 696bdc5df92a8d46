import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../shared/runtime.js';
import { brokerKeyFile } from '../support/broker-key.js';

const base = {
  TOKEN_FINGERPRINT_KEY: 'runtime-test-fingerprint-key-0123456789',
  MAPPING_FILE: 'config/mapping.yaml',
  AWS_REGION: 'eu-west-1',
};

function quietLogger() {
  const logger = new Logger({ serviceName: 'aurora-aad', logLevel: 'SILENT' });
  return { logger, warn: vi.spyOn(logger, 'warn') };
}

describe('createRuntime', () => {
  it('warns at start that pass-through mode can be bypassed', async () => {
    const { logger, warn } = quietLogger();

    const runtime = createRuntime({ ...base, WEB_IDENTITY_MODE: 'pass-through' },
      { logger });

    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /pass-through.*skip the mapping.*broker mode/s);
    expect(runtime.signingKeys).toEqual([]);
    await expect(runtime.webIdentity({} as never, {} as never, 'entra-token'))
      .resolves.toEqual({ token: 'entra-token', jti: undefined });
  });

  it('mints its own token in broker mode, without a warning', async () => {
    const { logger, warn } = quietLogger();

    const runtime = createRuntime({
      ...base,
      BROKER_ISSUER: 'https://auth.example.com',
      BROKER_KEY_FILE: brokerKeyFile(),
    }, { logger });
    const identity = await runtime.webIdentity(
      { tenantId: 't', objectId: 'o', principalType: 'user',
        displayName: 'alice@contoso.com' } as never,
      { ruleId: 'orders-readers' } as never,
      'entra-token');

    expect(warn).not.toHaveBeenCalled();
    expect(identity.token).not.toBe('entra-token');
    expect(identity.token.split('.')).toHaveLength(3);
    expect(identity.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('fails to start on a bad mapping, naming the file and line', () => {
    expect(() => createRuntime({ ...base, WEB_IDENTITY_MODE: 'pass-through',
      MAPPING_FILE: 'openapi.yaml' }, { logger: quietLogger().logger }))
      .toThrow(/openapi\.yaml:\d+: /);
  });
});
