import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyService } from '../../local/service-copy.js';
import { brokerKeyFile } from '../support/broker-key.js';
import { debianPython, requirePeer } from '../support/debian-peers.js';

// `osls package` as a deploy would run it, in a private copy of the service,
// then each packaged function unzipped and started the way Lambda starts it:
// the bundle imported from its own folder, the handler called with an event.
let service: ReturnType<typeof copyService>;
const node = join(process.cwd(), 'node_modules/.bin/node');

beforeAll(() => {
  service = copyService();
  execFileSync(join(service.dir, 'node_modules/.bin/osls'),
    ['package', '--stage', 'local'], {
      cwd: service.dir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      stdio: 'pipe',
    });
}, 180_000);

afterAll(() => {
  service?.remove();
});

function unzip(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `aurora-aad-${name}-`));
  execFileSync(requirePeer(debianPython, 'python3-botocore'), ['-m', 'zipfile', '-e',
    join(service.dir, '.serverless', `${name}.zip`), dir]);
  return dir;
}

// Starts the bundle in a fresh Node 24 process in the unzipped folder (the
// task root) and calls its handler once with an HTTP API event.
function invoke(name: string, env: Record<string, string>, event: object) {
  const root = unzip(name);
  const script = `
    const { handler } = await import('./functions/${name}.mjs');
    const answer = await handler(${JSON.stringify(event)}, {
      functionName: '${name}', awsRequestId: 'r-1',
      getRemainingTimeInMillis: () => 10000,
    });
    process.stdout.write('ANSWER ' + JSON.stringify(answer) + '\\n');
  `;
  const run = spawnSync(node, ['--input-type=module', '-e', script], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      MAPPING_FILE: 'config/mapping.yaml',
      TOKEN_FINGERPRINT_KEY: 'packaged-function-test-key-0123456789',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('ANSWER '));
  if (!line) throw new Error(`no answer: ${run.stderr}\n${run.stdout}`);
  return { root, answer: JSON.parse(line.slice(7)), stdout: run.stdout };
}

const event = (method: string, path: string, headers: object = {}) => ({
  version: '2.0', rawPath: path, rawQueryString: '', headers,
  requestContext: { requestId: 'req-1', http: { method, path, sourceIp: '192.0.2.1' } },
  isBase64Encoded: false,
});

describe('the packaged functions', () => {
  it('ship each bundle with the mapping file', () => {
    for (const name of ['credentials', 'targets', 'oidc']) {
      const root = unzip(name);
      expect(existsSync(join(root, `functions/${name}.mjs`)), name).toBe(true);
      expect(existsSync(join(root, 'config/mapping.yaml')), name).toBe(true);
    }
  });

  it('start and answer a request without a token with token_missing', () => {
    const { answer, stdout } = invoke('credentials',
      { WEB_IDENTITY_MODE: 'pass-through' },
      { ...event('POST', '/v1/credentials', { 'content-type': 'application/json' }),
        body: '{"target":"orders-prod"}' });

    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body).code).toBe('token_missing');
    expect(stdout).toContain('"event":"credential.denied"');
  });

  it('publish the broker keys from the key they are given', () => {
    const { answer } = invoke('oidc', {
      BROKER_ISSUER: 'https://auth.example.com',
      BROKER_KEY_FILE: brokerKeyFile(),
    }, event('GET', '/.well-known/jwks.json'));

    expect(answer.statusCode).toBe(200);
    const { keys } = JSON.parse(answer.body);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
  });

  it('fail to start with the setting named when a setting is wrong', () => {
    expect(() => invoke('targets', { TOKEN_FINGERPRINT_KEY: 'short',
      WEB_IDENTITY_MODE: 'pass-through' }, event('GET', '/v1/targets')))
      .toThrow(/TOKEN_FINGERPRINT_KEY: must be at least 32/);
  });
});
