import { createPublicKey, createHash, createHmac, generateKeyPairSync, verify }
  from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { decodeProtectedHeader } from 'jose';
import { startEntraStandIn } from '../local/entra/server.js';
import { issueCredentials } from '../shared/credentials/issue-credentials.js';
import { httpRoute } from '../shared/http/route.js';
import { createRuntime } from '../shared/runtime.js';
import { httpApiEvent, lambdaContext } from '../test/support/lambda-events.js';
import { inProcessSts } from './in-process-sts.js';
import { micros, printSection } from './table.js';
import type { Row } from './table.js';
import { timeOf } from './timing.js';
import type { SampleOptions } from './timing.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) =>
  Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The credentials handler exactly as functions/credentials.ts wires it,
 * but with `env` and an STS client answered in-process: the module-scope
 * handler reads process.env once and has no seam for its STS transport.
 */
function handlerWith(env: NodeJS.ProcessEnv): Handler {
  const runtime = createRuntime(env, { sts: inProcessSts().client });
  return httpRoute({
    name: 'credential',
    success: 'issued',
    jsonBody: true,
    logger: runtime.logger,
    fingerprintKey: runtime.settings.tokenFingerprintKey,
    handle: (request) => issueCredentials(runtime, request),
  }) as unknown as Handler;
}

/**
 * The unavoidable work of one request, nothing else: one RS256 verify with
 * a key already imported, one SigV4 signing-key derivation and signature,
 * one JSON serialisation written out.
 */
function floorFor(token: string, publicKey: ReturnType<typeof createPublicKey>,
  out: number) {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const signatureBytes = Buffer.from(signature, 'base64url');
  return () => {
    verify('sha256', Buffer.from(`${header}.${payload}`), publicKey,
      signatureBytes);
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const day = date.slice(0, 8);
    let key: Buffer = createHmac('sha256', 'AWS4secret').update(day).digest();
    for (const part of ['eu-west-1', 'rds-db', 'aws4_request']) {
      key = createHmac('sha256', key).update(part).digest();
    }
    const canonical = createHash('sha256').update(`GET\n/\nAction=connect\n` +
      `host:orders:5432\n\nhost\n${'e3b0'.repeat(16)}`).digest('hex');
    const signed = createHmac('sha256', key)
      .update(`AWS4-HMAC-SHA256\n${date}\n${day}/eu-west-1/rds-db/aws4_request\n` +
        canonical).digest('hex');
    writeSync(out, JSON.stringify({ statusCode: 200, body: JSON.stringify({
      token: `orders:5432/?X-Amz-Signature=${signed}`, expiresAt: date }) }));
  };
}

/**
 * Section 1: a warm request through the exported handler's wiring, with
 * the tenant's keys cached and STS answered in-process, against the floor.
 * Cache hit and miss, broker and pass-through, in the same run.
 */
async function benchWarmHandler(options: SampleOptions): Promise<void> {
  const entra = await startEntraStandIn();
  const devNull = openSync('/dev/null', 'w');
  const keyDir = mkdtempSync(join(tmpdir(), 'aurora-aad-bench-'));
  const keyFile = join(keyDir, 'broker.pem');
  writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const write = process.stdout.write;
  try {
    const token = await entra.issueToken({ user: 'alice' });
    const base = {
      AWS_REGION: 'eu-west-1',
      MAPPING_FILE: 'config/mapping.yaml',
      ENTRA_AUTHORITY_HOST: entra.url,
      TOKEN_FINGERPRINT_KEY: 'bench-fingerprint-key-0123456789abcdef',
      POWERTOOLS_SERVICE_NAME: 'aurora-aad',
    };
    const passThrough = { ...base, WEB_IDENTITY_MODE: 'pass-through' };
    const broker = { ...base, WEB_IDENTITY_MODE: 'broker',
      BROKER_ISSUER: 'http://127.0.0.1:1', BROKER_KEY_FILE: keyFile };
    const event = () => httpApiEvent({
      method: 'POST', path: '/v1/credentials',
      headers: { authorization: `Bearer ${token}`,
        'content-type': 'application/json' },
      body: '{"target":"orders-prod","dbUser":"app_reader"}',
    });
    const context = lambdaContext('credentials');
    const request = (handler: Handler) => async () => {
      const answer = await handler(event(), context);
      if (answer.statusCode !== 200) throw new Error(String(answer.body));
    };

    const jwk = await (await fetch(`${entra.url}/${
      'cfe917f4-2d4b-4269-87e5-caaf86008490'}/discovery/v2.0/keys`)).json() as
      { keys: Array<{ kid: string }> };
    const { kid } = decodeProtectedHeader(token);
    const publicKey = createPublicKey({ format: 'jwk',
      key: jwk.keys.find((key) => key.kid === kid) as JsonWebKey });

    // The handler's log lines and the floor's answer go to /dev/null alike.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writeSync(devNull, Buffer.from(chunk));
      return true;
    }) as typeof process.stdout.write;

    const floor = await timeOf(floorFor(token, publicKey, devNull), options);
    const cases: Array<[string, NodeJS.ProcessEnv]> = [
      ['handler, STS cache hit, pass-through', { ...passThrough }],
      ['handler, STS cache hit, broker', { ...broker }],
      ['handler, STS cache miss, pass-through',
        { ...passThrough, STS_SESSION_CACHE_SIZE: '0' }],
      ['handler, STS cache miss, broker (mints a token)',
        { ...broker, STS_SESSION_CACHE_SIZE: '0' }],
    ];
    const timings = [];
    for (const [label, env] of cases) {
      timings.push([label, await timeOf(request(handlerWith(env)), options)] as const);
    }
    process.stdout.write = write;

    const rows: Row[] = [{ label: 'floor: RS256 verify + SigV4 + JSON write',
      value: micros(floor.medianUs), ratio: 1 }];
    for (const [label, timing] of timings) {
      rows.push({ label, value: micros(timing.medianUs),
        ratio: timing.medianUs / floor.medianUs,
        note: `p90 ${micros(timing.p90Us)}` });
    }
    const [, , missPass, missBroker] = timings;
    rows.push({ label: 'broker miss / pass-through miss',
      value: micros(missBroker![1].medianUs - missPass![1].medianUs),
      ratio: missBroker![1].medianUs / missPass![1].medianUs,
      note: 'value: the added cost of minting' });
    printSection(`1. Warm request, in process (${options.iterations} runs, ` +
      'median; ratio against the floor)', ['case', 'median'], rows);
  } finally {
    process.stdout.write = write;
    closeSync(devNull);
    await entra.close();
  }
}

export { benchWarmHandler };
