import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../sdk/client.js';
import { createCredentialsProvider } from '../../sdk/credentials-provider.js';
import { ApiProblemError, AuroraAadError } from '../../sdk/errors.js';
import { fromFunction } from '../../sdk/token-sources.js';
import { startFakeApi } from '../support/fake-credentials-api.js';
import type { FakeApi } from '../support/fake-credentials-api.js';

const ENTRA_TOKEN = 'entra-access-token-for-provider-tests';
const START = new Date('2025-06-02T09:00:00.000Z');
let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ accessToken: ENTRA_TOKEN });
});

afterEach(() => {
  api.failWith(null);
  vi.useRealTimers();
});

afterAll(async () => {
  await api.close();
});

function provider(token = ENTRA_TOKEN) {
  const client = createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => token) });
  return createCredentialsProvider({ client });
}

describe('createApiClient', () => {
  it('lists targets with the caller token', async () => {
    const client = createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => ENTRA_TOKEN) });

    const { targets } = await client.listTargets();

    expect(targets).toEqual([expect.objectContaining({ target: 'orders-prod', dbUsers: ['app_reader'] })]);
  });

  it('refuses an API URL that would carry tokens in the clear', () => {
    expect(() => createApiClient({
      baseUrl: 'http://api.example.com', tokenSource: fromFunction(() => ENTRA_TOKEN),
    })).toThrow(/API URL http:\/\/api\.example\.com is not HTTPS/);
  });

  it('turns a problem document into ApiProblemError with code, status and request id', async () => {
    const client = createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => 'wrong') });

    const error = await client.listTargets().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiProblemError);
    expect(error).toMatchObject({ code: 'token_missing', status: 401, requestId: 'fake-request-id' });
  });

  it('reads Retry-After on 503', async () => {
    api.failWith({ status: 503, code: 'sts_unavailable' });

    const error = await provider().getCredentials({ target: 'orders-prod' }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'sts_unavailable', status: 503, retryAfterSeconds: 2 });
  });

  it('answers api_unreachable naming the URL when nothing listens', async () => {
    const client = createApiClient({
      baseUrl: 'http://127.0.0.1:9', tokenSource: fromFunction(() => ENTRA_TOKEN),
    });

    const error = await client.listTargets().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuroraAadError);
    expect(error).toMatchObject({ code: 'api_unreachable' });
    expect((error as Error).message).toContain('http://127.0.0.1:9');
  });
});

describe('createCredentialsProvider', () => {
  it('makes one call for fifty concurrent requests on a cold cache', async () => {
    const credentials = provider();
    const before = api.calls.credentials;

    const answers = await Promise.all(Array.from({ length: 50 },
      () => credentials.getCredentials({ target: 'orders-prod', dbUser: 'app_reader' })));

    expect(api.calls.credentials).toBe(before + 1);
    expect(new Set(answers.map((answer) => answer.token)).size).toBe(1);
  });

  it('serves the cache until refreshAfter and calls again after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const credentials = provider();
    const first = await credentials.getCredentials({ target: 'orders-prod' });

    vi.setSystemTime(Date.parse(first.refreshAfter) - 1_000);
    const cached = await credentials.getCredentials({ target: 'orders-prod' });
    vi.setSystemTime(Date.parse(first.refreshAfter) + 1_000);
    const renewed = await credentials.getCredentials({ target: 'orders-prod' });

    expect(cached.token).toBe(first.token);
    expect(renewed.token).not.toBe(first.token);
  });

  it('keeps handing out a still-valid token while the API answers 503', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const credentials = provider();
    const first = await credentials.getCredentials({ target: 'orders-prod' });
    vi.setSystemTime(Date.parse(first.refreshAfter) + 1_000);
    api.failWith({ status: 503, code: 'sts_unavailable' });

    const during = await credentials.getCredentials({ target: 'orders-prod' });
    vi.setSystemTime(Date.parse(first.expiresAt) - 10_000);
    const late = credentials.getCredentials({ target: 'orders-prod' });

    expect(during.token).toBe(first.token);
    await expect(late).rejects.toMatchObject({ code: 'sts_unavailable' });
  });

  it('throws a refusal at once, even with a cached token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const credentials = provider();
    const first = await credentials.getCredentials({ target: 'orders-prod' });
    vi.setSystemTime(Date.parse(first.refreshAfter) + 1_000);
    api.failWith({ status: 403, code: 'no_grant' });

    await expect(credentials.getCredentials({ target: 'orders-prod' }))
      .rejects.toMatchObject({ code: 'no_grant', status: 403 });
  });
});
