import { generateKeyPairSync, randomUUID, sign, verify }
  from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { startEntraStandIn } from '../local/entra/server.js';
import { TenantKeySets } from '../shared/identity/key-sets.js';
import { verifyEntraToken } from '../shared/identity/verify-entra-token.js';
import { loadMapping } from '../shared/config/mapping.js';
import { micros, printSection } from './table.js';
import type { Row } from './table.js';
import { timeOf } from './timing.js';
import type { SampleOptions } from './timing.js';

/** An Entra-shaped key endpoint on loopback serving one key of `bits`. */
async function keyEndpoint(bits: number, tenant: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa',
    { modulusLength: bits });
  const kid = randomUUID();
  const body = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }),
    kid, use: 'sig', alg: 'RS256' }] });
  const server = createServer((request, response) => {
    if (request.url !== `/${tenant}/discovery/v2.0/keys`) {
      response.statusCode = 404;
      response.end();
      return;
    }
    response.setHeader('content-type', 'application/json');
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUri: `${url}/${tenant}/discovery/v2.0/keys`,
    publicKey,
    signToken(claims: object): string {
      const encode = (part: object) =>
        Buffer.from(JSON.stringify(part)).toString('base64url');
      const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
      return `${input}.${sign('sha256', Buffer.from(input), privateKey)
        .toString('base64url')}`;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function cryptoFloor(token: string, key: KeyObject) {
  return () => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), key,
      Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  };
}

/**
 * Section 2: the project's verifier (jose plus Entra's claim rules, keys
 * from the tenant's JWKS, warm) against jose's bare jwtVerify with the key
 * in hand, jsonwebtoken with jwks-rsa's cached key lookup (the usual
 * Express-style pairing), and a bare crypto.verify.
 */
async function benchTokenVerification(options: SampleOptions): Promise<void> {
  const entra = await startEntraStandIn();
  const claims = decodeJwt(await entra.issueToken({ user: 'alice' }));
  await entra.close();
  const tenant = String(claims.tid);
  const mapping = loadMapping('config/mapping.yaml');

  for (const bits of [2048, 4096]) {
    const endpoint = await keyEndpoint(bits, tenant);
    const token = endpoint.signToken(claims);
    const verifyOptions = {
      keySets: new TenantKeySets({ authorityHost: endpoint.url,
        cooldownSeconds: 30, timeoutMs: 3000 }),
      tenants: mapping.tenants,
      audiences: mapping.audiences,
      scope: mapping.scope,
      appRole: mapping.appRole,
      clockSkewSeconds: 60,
    };
    const jwks = new JwksClient({ jwksUri: endpoint.jwksUri, cache: true,
      rateLimit: false });
    const peerOptions = { algorithms: ['RS256' as const],
      issuer: String(claims.iss), audience: String(claims.aud) };

    const floor = await timeOf(cryptoFloor(token, endpoint.publicKey), options);
    const project = await timeOf(() => verifyEntraToken(token, verifyOptions),
      options);
    const bareJose = await timeOf(() => jwtVerify(token, endpoint.publicKey,
      peerOptions), options);
    const jsonwebtoken = await timeOf(async () => {
      const { header } = jwt.decode(token, { complete: true }) ?? {};
      const key = await jwks.getSigningKey(header?.kid);
      jwt.verify(token, key.getPublicKey(), peerOptions);
    }, options);
    await endpoint.close();

    const row = (label: string, medianUs: number, note?: string): Row =>
      ({ label, value: micros(medianUs), ratio: medianUs / project.medianUs,
        ...(note ? { note } : {}) });
    printSection(`2. Token verification, RSA-${bits} (median of ` +
      `${options.iterations}; ratio against the project's verifier)`,
    ['verifier', 'median'], [
      row('project: verifyEntraToken (jose + Entra rules)', project.medianUs),
      row('jose jwtVerify, key in hand', bareJose.medianUs),
      row('jsonwebtoken + jwks-rsa (cached)', jsonwebtoken.medianUs,
        `project is ${(jsonwebtoken.medianUs / project.medianUs).toFixed(2)}x faster`),
      row('floor: crypto.verify, key imported', floor.medianUs),
    ]);
  }
}

export { benchTokenVerification };
