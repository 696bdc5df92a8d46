import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';
import { readSignIn, writeSignIn } from '../../sdk/token-cache.js';
import {
  fromClientCredentials,
  fromCliCache,
  fromEnvironment,
} from '../../sdk/token-sources.js';

const CONTOSO = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const BILLING = 'ac2dcf16-ab87-460c-a908-242edd0d6bfc';
let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

describe('token sources', () => {
  it('reads the environment variable on every call', async () => {
    const source = fromEnvironment('AURORA_AAD_TEST_TOKEN');
    process.env['AURORA_AAD_TEST_TOKEN'] = 'first';
    const first = await source();
    process.env['AURORA_AAD_TEST_TOKEN'] = 'second';
    const second = await source();
    delete process.env['AURORA_AAD_TEST_TOKEN'];

    expect([first, second]).toEqual(['first', 'second']);
    await expect(source()).rejects.toMatchObject({ code: 'entra_token_unavailable' });
  });

  it('gets an app-only token with client credentials and reuses it', async () => {
    const source = fromClientCredentials({
      authorityHost: entra.url, tenant: CONTOSO, clientId: BILLING,
      clientSecret: 'dev-secret-billing-service',
    });

    const [first, second] = await Promise.all([source(), source()]);

    expect(first).toBe(second);
    expect(decodeJwt(first)).toMatchObject({ idtyp: 'app', azp: BILLING, tid: CONTOSO });
    expect(decodeJwt(first).roles).toContain('Credentials.Issue.All');
  });

  it('says which setting to check when the secret is wrong', async () => {
    const source = fromClientCredentials({
      authorityHost: entra.url, tenant: CONTOSO, clientId: BILLING, clientSecret: 'wrong-secret',
    });

    const error = await source().catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'entra_token_unavailable' });
    expect((error as Error).message).toContain('invalid_client');
  });

  it('refuses a plain-HTTP authority that is not the loopback', () => {
    expect(() => fromClientCredentials({
      authorityHost: 'http://login.example.test', tenant: CONTOSO, clientId: BILLING,
      clientSecret: 'x',
    })).toThrow(/not HTTPS/);
  });

  it('refreshes the CLI cache through the refresh_token grant and saves it owner-only',
    async () => {
      const directory = join(mkdtempSync(join(tmpdir(), 'aurora-aad-cache-')), 'config');
      const start = await fetch(`${entra.url}/${CONTOSO}/oauth2/v2.0/devicecode`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
          scope: 'api://aurora-aad/Credentials.Issue offline_access',
        }),
      });
      const device = (await start.json()) as { device_code: string; user_code: string };
      await fetch(`${entra.url}/_dev/devicecode/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_code: device.user_code, user: 'alice' }),
      });
      const tokens = (await (await fetch(`${entra.url}/${CONTOSO}/oauth2/v2.0/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          client_id: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
          device_code: device.device_code,
        }),
      })).json()) as { refresh_token: string };
      await writeSignIn({
        method: 'entra', authorityHost: entra.url, tenant: CONTOSO,
        clientId: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
        scope: 'api://aurora-aad/Credentials.Issue', apiUrl: 'http://127.0.0.1:1',
        accessToken: 'stale', expiresAt: new Date(0).toISOString(),
        refreshToken: tokens.refresh_token,
      }, { profile: 'test', directory });

      const token = await fromCliCache({ profile: 'test', directory })();

      expect(decodeJwt(token)).toMatchObject({ preferred_username: 'alice@contoso.onmicrosoft.com' });
      const saved = await readSignIn({ profile: 'test', directory });
      expect(saved?.accessToken).toBe(token);
      expect(saved?.account?.username).toBe('alice@contoso.onmicrosoft.com');
      expect(statSync(join(directory, 'sign-in.test.json')).mode & 0o777).toBe(0o600);
    });

  it('tells the user to sign in when the profile has no cache', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'aurora-aad-empty-'));

    await expect(fromCliCache({ profile: 'nobody', directory })()).rejects.toMatchObject({
      code: 'entra_token_unavailable',
      message: expect.stringContaining('aurora-aad login'),
    });
  });
});
