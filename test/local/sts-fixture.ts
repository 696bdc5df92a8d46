import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { STSClient } from '@aws-sdk/client-sts';
import { loadAccount } from '../../local/sts/account.js';
import type { Account } from '../../local/sts/account.js';

/** The tenant the checked-in account trusts. */
const TENANT = 'cfe917f4-2d4b-4269-87e5-caaf86008490';
const V1_ISSUER = `https://sts.windows.net/${TENANT}/`;
const V2_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const API_CLIENT_ID = '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b';
const ACCOUNT_ID = '111122223333';

/** A role ARN in the checked-in account. */
function roleArn(name: string): string {
  return `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;
}

interface MintOptions {
  /** `unpublished` signs with a key the JWKS does not carry, under a published kid. */
  key?: 'published' | 'unpublished' | 'rs384';
  kid?: string;
  /** Seconds from now until exp; negative mints an expired token. */
  expiresIn?: number;
  /** Leave these registered claims out. */
  omit?: readonly ('exp' | 'sub' | 'aud' | 'iss')[];
}

/**
 * A web identity issuer on loopback: real RSA keys, a JWKS served on every GET
 * path, and a way to mint tokens in the shapes the STS stand-in must judge.
 */
interface IssuerFixture {
  /** Base URL to substitute for `{entra}`. */
  readonly url: string;
  readonly jwksFetches: number;
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>;
  /** Makes the JWKS endpoint answer with this status (200 restores it). */
  setJwksStatus(status: number): void;
  /** Adds a new signing key to the JWKS and signs with it from now on. */
  rotate(): Promise<string>;
  close(): Promise<void>;
}

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'RS384'): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg };
  return { kid, privateKey: pair.privateKey, jwk };
}

async function startIssuer(): Promise<IssuerFixture> {
  const published: SigningKey[] = [await signingKey('key-1', 'RS256')];
  const rs384 = await signingKey('key-384', 'RS384');
  const unpublished = await signingKey('key-1', 'RS256');
  let current = published[0] as SigningKey;
  let status = 200;
  let fetches = 0;

  const server = createServer((req, res) => {
    fetches += 1;
    if (req.method !== 'GET' || status !== 200) {
      res.writeHead(status === 200 ? 405 : status).end();
      return;
    }
    const keys = [...published, rs384].map((key) => key.jwk);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get jwksFetches() {
      return fetches;
    },
    async mint(claims, options = {}) {
      const key =
        options.key === 'unpublished' ? unpublished : options.key === 'rs384' ? rs384 : current;
      const alg = options.key === 'rs384' ? 'RS384' : 'RS256';
      const omit = new Set(options.omit ?? []);
      const seconds = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: V1_ISSUER,
        aud: 'api://aurora-aad',
        sub: 'subject-1',
        iat: seconds - 60,
        nbf: seconds - 60,
        exp: seconds + (options.expiresIn ?? 3600),
        ...claims,
      };
      for (const claim of omit) delete payload[claim];
      return new SignJWT(payload)
        .setProtectedHeader({ alg, typ: 'JWT', kid: options.kid ?? key.kid })
        .sign(key.privateKey);
    },
    setJwksStatus(next) {
      status = next;
    },
    async rotate() {
      current = await signingKey(`key-${published.length + 1}`, 'RS256');
      published.push(current);
      return current.kid;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The checked-in account, its JWKS pointed at the fixture issuer. */
function checkedInAccount(issuer: IssuerFixture): Account {
  return loadAccount(undefined, { entra: issuer.url });
}

/**
 * A real STS client aimed at the stand-in. No credentials are configured:
 * AssumeRoleWithWebIdentity is unsigned, and the SDK sends it without any.
 */
function stsClient(
  endpoint: string,
  extra: { maxAttempts?: number; requestTimeout?: number } = {},
): STSClient {
  return new STSClient({
    endpoint,
    region: 'eu-west-1',
    maxAttempts: extra.maxAttempts ?? 1,
    ...(extra.requestTimeout !== undefined && {
      requestHandler: { requestTimeout: extra.requestTimeout, throwOnRequestTimeout: true },
    }),
  });
}

export {
  ACCOUNT_ID,
  API_CLIENT_ID,
  TENANT,
  V1_ISSUER,
  V2_ISSUER,
  checkedInAccount,
  roleArn,
  startIssuer,
  stsClient,
};
export type { IssuerFixture, MintOptions };
