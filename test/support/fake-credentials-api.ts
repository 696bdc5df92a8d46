/**
 * An HTTP server on the loopback that answers like the aurora-aad API for
 * SDK tests: the shapes of openapi.yaml, a new token per call (numbered, so
 * tests can tell them apart), timing from the process clock (fakeable), a
 * call counter and a way to make the next calls fail.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components } from '../../sdk/api-types.js';

type CredentialResponse = components['schemas']['CredentialResponse'];
type Problem = components['schemas']['Problem'];

interface FakeApiOptions {
  /** The bearer token callers must send. */
  readonly accessToken: string;
  /** How long each answer takes, so concurrent calls really overlap. Default 50 ms. */
  readonly delayMs?: number;
  /** Default: a postgres target `orders-prod`. */
  readonly engine?: 'postgres' | 'mysql';
}

interface FakeApi {
  readonly url: string;
  /** `POST /v1/credentials` calls answered so far, failed ones included. */
  readonly calls: { credentials: number; targets: number };
  /** Every token issued, in order. */
  readonly issued: string[];
  /** The next calls answer this problem (and `Retry-After` on 503) until `null`. */
  failWith(problem: Pick<Problem, 'status' | 'code'> | null): void;
  close(): Promise<void>;
}

const ENDPOINT = 'orders.cluster-test.eu-west-1.rds.amazonaws.com';

function credentialResponse(engine: 'postgres' | 'mysql', token: string): CredentialResponse {
  const now = Date.now();
  return {
    token,
    expiresAt: new Date(now + 15 * 60_000).toISOString(),
    refreshAfter: new Date(now + 10 * 60_000).toISOString(),
    target: engine === 'postgres' ? 'orders-prod' : 'inventory',
    dbUser: 'app_reader',
    roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
    sessionName: 'alice@contoso.onmicrosoft.com-c87be44a',
    connection: {
      host: ENDPOINT,
      port: engine === 'postgres' ? 5432 : 3306,
      engine,
      database: 'orders',
      region: 'eu-west-1',
      tls: {
        required: true,
        caBundleUrl: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
      },
    },
  };
}

async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const engine = options.engine ?? 'postgres';
  const calls = { credentials: 0, targets: 0 };
  const issued: string[] = [];
  let failure: Pick<Problem, 'status' | 'code'> | null = null;

  const server = createServer((request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'cache-control': 'no-store', ...headers });
      response.end(JSON.stringify(body));
    };
    request.resume();
    request.on('end', () => setTimeout(() => {
      const isCredentials = request.method === 'POST' && request.url === '/v1/credentials';
      if (isCredentials) calls.credentials += 1;
      if (request.method === 'GET' && request.url === '/v1/targets') calls.targets += 1;

      if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
        send(401, problem(401, 'token_missing'), {
          'content-type': 'application/problem+json',
          'www-authenticate': 'Bearer realm="aurora-aad"',
        });
      } else if (failure) {
        send(failure.status, problem(failure.status, failure.code), {
          'content-type': 'application/problem+json',
          ...(failure.status === 503 ? { 'retry-after': '2' } : {}),
        });
      } else if (isCredentials) {
        const token = `iam-token-${issued.length + 1}`;
        issued.push(token);
        send(200, credentialResponse(engine, token), { 'content-type': 'application/json' });
      } else {
        const { target, dbUser, connection } = credentialResponse(engine, 'unused');
        send(200, { targets: [{ target, dbUsers: [dbUser], connection }] },
          { 'content-type': 'application/json' });
      }
    }, options.delayMs ?? 50));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    issued,
    failWith: (next) => {
      failure = next;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function problem(status: number, code: Problem['code']): Problem {
  return {
    type: `urn:aurora-aad:error:${code}`,
    title: code,
    status,
    detail: `The fake API answers ${code}.`,
    code,
    requestId: 'fake-request-id',
  };
}

export { ENDPOINT, startFakeApi };
export type { FakeApi };
