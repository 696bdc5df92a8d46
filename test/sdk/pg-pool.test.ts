import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../sdk/client.js';
import { createCredentialsProvider } from '../../sdk/credentials-provider.js';
import { pgConfig } from '../../sdk/pg.js';
import { fromFunction } from '../../sdk/token-sources.js';
import { ENDPOINT, startFakeApi } from '../support/fake-credentials-api.js';
import type { FakeApi } from '../support/fake-credentials-api.js';
import { startPgWireServer } from '../support/pg-wire-server.js';
import type { PgWireServer } from '../support/pg-wire-server.js';
import { makeTestCertificates } from '../support/test-ca.js';
import type { TestCertificates } from '../support/test-ca.js';

const ENTRA_TOKEN = 'entra-access-token-for-pg-tests';
const START = new Date('2025-06-02T09:00:00.000Z');

let certificates: TestCertificates;
let database: PgWireServer;
let api: FakeApi;
const pools: pg.Pool[] = [];
const checkedOut: pg.PoolClient[] = [];

beforeAll(async () => {
  certificates = makeTestCertificates([ENDPOINT]);
  database = await startPgWireServer({
    tls: { key: certificates.keyPem, cert: certificates.certPem },
  });
  api = await startFakeApi({ accessToken: ENTRA_TOKEN, delayMs: 100 });
});

afterEach(async () => {
  vi.useRealTimers();
  for (const client of checkedOut.splice(0)) client.release();
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

afterAll(async () => {
  await database.close();
  await api.close();
});

async function poolFor(max: number): Promise<pg.Pool> {
  const client = createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => ENTRA_TOKEN) });
  const provider = createCredentialsProvider({ client });
  const config = await pgConfig({
    provider,
    target: 'orders-prod',
    host: '127.0.0.1',
    port: database.port,
    ca: certificates.caPem,
  });
  const pool = new pg.Pool({ ...config, max });
  pools.push(pool);
  return pool;
}

describe('pgConfig with a real pg pool', () => {
  it('signs in over verified TLS with the token, the user and the database', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const pool = await poolFor(2);
    const seen = database.connections.length;

    const { rows } = await pool.query('SELECT current_user');

    expect(rows).toEqual([{ current_user: 'app_reader' }]);
    const connection = database.connections[seen]!;
    expect(connection.password).toBe(api.issued.at(-1));
    expect(connection.password).toMatch(/^iam-token-\d+$/);
    expect(connection.tls).toBe(true);
    expect(connection.servername).toBe(ENDPOINT);
    expect(connection.parameters).toMatchObject({ user: 'app_reader', database: 'orders' });
  });

  it('gives a new connection a new token after refreshAfter while open ones keep working',
    async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(START);
      const pool = await poolFor(5);
      const callsBefore = api.calls.credentials;

      const connect = async () => {
        const client = await pool.connect();
        checkedOut.push(client);
        return client;
      };
      const first = await connect();
      const firstPassword = database.connections.at(-1)!.password;
      vi.setSystemTime(START.getTime() + 9 * 60_000);
      const second = await connect();
      const secondPassword = database.connections.at(-1)!.password;
      expect(secondPassword).toBe(firstPassword);
      expect(api.calls.credentials).toBe(callsBefore);

      vi.setSystemTime(START.getTime() + 10 * 60_000 + 1_000);
      const third = await connect();
      const thirdPassword = database.connections.at(-1)!.password;

      expect(api.calls.credentials).toBe(callsBefore + 1);
      expect(thirdPassword).not.toBe(firstPassword);
      expect(thirdPassword).toBe(api.issued.at(-1));
      expect((await first.query('SELECT 1')).rows).toEqual([{ '?column?': '1' }]);
      expect((await second.query('SELECT 1')).rows).toEqual([{ '?column?': '1' }]);
      expect((await third.query('SELECT 1')).rows).toEqual([{ '?column?': '1' }]);
    });

  it('makes one API call for fifty simultaneous new connections', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(START);
    const pool = await poolFor(50);
    vi.setSystemTime(START.getTime() + 11 * 60_000);
    const callsBefore = api.calls.credentials;
    const seen = database.connections.length;

    const clients = await Promise.all(Array.from({ length: 50 }, () => pool.connect()));
    checkedOut.push(...clients);

    expect(api.calls.credentials).toBe(callsBefore + 1);
    const passwords = new Set(database.connections.slice(seen).map((c) => c.password));
    expect(database.connections.length - seen).toBe(50);
    expect([...passwords]).toEqual([api.issued.at(-1)]);
  });

  it('refuses a server whose certificate the CA bundle does not vouch for', async () => {
    const client = createApiClient({ baseUrl: api.url, tokenSource: fromFunction(() => ENTRA_TOKEN) });
    const provider = createCredentialsProvider({ client });
    const other = makeTestCertificates(['unrelated.example.test']);
    const config = await pgConfig({
      provider, target: 'orders-prod', host: '127.0.0.1', port: database.port, ca: other.caPem,
    });
    const pool = new pg.Pool(config);
    pools.push(pool);

    await expect(pool.query('SELECT 1')).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });
});
