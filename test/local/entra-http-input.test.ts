import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntraStandIn } from '../../local/entra/server.js';
import type { EntraStandIn } from '../../local/entra/server.js';

let entra: EntraStandIn;

beforeAll(async () => {
  entra = await startEntraStandIn();
});

afterAll(async () => {
  await entra.close();
});

async function postDevToken(
  body: string,
  contentType = 'application/json',
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${entra.url}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('bad input', () => {
  it('answers 400 for a body that is not JSON', async () => {
    const { status, body } = await postDevToken('{"user": "alice"');

    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'invalid_request',
      error_description: 'The token request body is not valid JSON.',
    });
  });

  it('answers 400 for a body that is not sent as application/json', async () => {
    const { status, body } = await postDevToken('user=alice', 'application/x-www-form-urlencoded');

    expect(status).toBe(400);
    expect(body.error_description).toBe('Send the token request as application/json.');
  });

  it('answers 400 naming the field for a request of the wrong shape', async () => {
    const wrongVersion = await postDevToken(JSON.stringify({ user: 'alice', version: 3 }));
    const unknownField = await postDevToken(JSON.stringify({ user: 'alice', admin: true }));
    const notAnObject = await postDevToken('[1, 2]');
    const badForge = await postDevToken(JSON.stringify({ user: 'alice', forge: 'rot13' }));

    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.body.error_description).toMatch(/^Bad token request: version: /);
    expect(unknownField.body.error_description).toMatch(/admin/);
    expect(notAnObject.status).toBe(400);
    expect(badForge.status).toBe(400);
    expect(badForge.body.error_description).toMatch(/^Bad token request: forge: /);
  });

  it('answers 400 for an unknown app', async () => {
    const { status, body } = await postDevToken(JSON.stringify({ app: 'alice' }));

    expect(status).toBe(400);
    expect(body.error_description).toBe(
      'No app named "alice" in the Entra stand-in directory ' +
        '(known apps: billing-service, reporting-job).',
    );
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const huge = JSON.stringify({ user: 'alice', extraClaims: { pad: 'x'.repeat(70_000) } });

    const { status, body } = await postDevToken(huge);

    expect(status).toBe(413);
    expect(body.error).toBe('invalid_request');
  });

  it('answers 404 JSON for an unknown path and 405 for a wrong method', async () => {
    const missing = await fetch(`${entra.url}/cfe917f4-2d4b-4269-87e5-caaf86008490/saml2`);
    const wrongMethod = await fetch(`${entra.url}/_dev/directory`, { method: 'DELETE' });

    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: 'not_found',
      error_description:
        'The Entra stand-in has no GET /cfe917f4-2d4b-4269-87e5-caaf86008490/saml2.',
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('answers 400 for a path with a broken percent escape', async () => {
    const response = await fetch(`${entra.url}/%E0%A4%A/discovery/keys`);

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('survives a request that is not HTTP and keeps serving', async () => {
    const { port } = new URL(entra.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.end('\u0000\u0001 not http at all\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const after = await fetch(`${entra.url}/_dev/directory`);

    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(after.status).toBe(200);
  });
});

describe('GET /_dev/directory', () => {
  it('lists names, tenants and kinds and never a secret', async () => {
    const response = await fetch(`${entra.url}/_dev/directory`);
    const text = await response.text();
    const body = JSON.parse(text) as { users: unknown[]; apps: unknown[] };

    expect(body.users).toEqual([
      { name: 'alice', tenant: 'contoso-dev', kind: 'member' },
      { name: 'bob', tenant: 'contoso-dev', kind: 'guest' },
      { name: 'carol', tenant: 'contoso-dev', kind: 'member' },
      { name: 'dave', tenant: 'contoso-dev', kind: 'overage' },
      { name: 'erin', tenant: 'fabrikam-dev', kind: 'member' },
    ]);
    expect(body.apps).toEqual([
      { name: 'billing-service', tenant: 'contoso-dev', kind: 'app' },
      { name: 'reporting-job', tenant: 'contoso-dev', kind: 'app' },
    ]);
    expect(text).not.toContain('dev-secret');
  });
});
