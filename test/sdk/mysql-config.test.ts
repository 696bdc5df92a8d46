import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../sdk/client.js';
import { createCredentialsProvider } from '../../sdk/credentials-provider.js';
import { mysqlConfig } from '../../sdk/mysql.js';
import { pgConfig } from '../../sdk/pg.js';
import { fromFunction } from '../../sdk/token-sources.js';
import { ENDPOINT, startFakeApi } from '../support/fake-credentials-api.js';
import type { FakeApi } from '../support/fake-credentials-api.js';

let api: FakeApi;

beforeAll(async () => {
  api = await startFakeApi({ accessToken: 'entra', engine: 'mysql' });
});

afterAll(async () => {
  await api.close();
});

const provider = () => createCredentialsProvider({
  client: createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => 'entra') }),
});

describe('mysqlConfig', () => {
  it('sends the token through the clear-text plugin over verified TLS', async () => {
    const config = await mysqlConfig({ provider: provider(), target: 'inventory', ca: 'PEM' });
    const plugin = config.authPlugins!['mysql_clear_password']!;

    const sent = await plugin({} as never)(Buffer.alloc(0));

    expect(config).toMatchObject({ host: ENDPOINT, port: 3306, user: 'app_reader' });
    expect(config.ssl).toEqual({ ca: 'PEM', rejectUnauthorized: true, verifyIdentity: true });
    expect(Buffer.from(sent as Buffer).toString()).toBe(`${api.issued.at(-1)}\0`);
  });

  it('refuses a target of the other engine and a missing CA bundle', async () => {
    await expect(pgConfig({ provider: provider(), target: 'inventory', ca: 'PEM' }))
      .rejects.toMatchObject({ code: 'engine_mismatch' });
    await expect(mysqlConfig({
      provider: provider(), target: 'inventory', caPath: '/nonexistent/bundle.pem',
    })).rejects.toMatchObject({ code: 'rds_ca_missing' });
  });
});
