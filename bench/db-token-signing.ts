import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { signDbToken } from '../shared/rds/sign-db-token.js';
import type { Target } from '../shared/config/mapping-schema.js';
import type { AssumedSession } from '../shared/sts/assume-grant-role.js';
import { micros, printSection } from './table.js';
import { timeOf } from './timing.js';
import type { SampleOptions } from './timing.js';

const session: AssumedSession = {
  accessKeyId: 'ASIABENCH00000000001',
  secretAccessKey: 'bench/secret/access/key/0000000000000000',
  sessionToken: 'B'.repeat(600),
  expiration: new Date(Date.now() + 900_000),
  stsRequestId: undefined,
};
const target = {
  host: 'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com',
  port: 5432,
  region: 'eu-west-1',
} as Target;
const dbUser = 'app_reader';

/** SigV4's hash, as SignatureV4 wants it, on node:crypto. */
class NodeSha256 {
  readonly #hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    : Buffer.from(data);
}

const reusedSigner = new SignatureV4({ service: 'rds-db', region: target.region,
  credentials: session, sha256: NodeSha256 });

async function presignReused(): Promise<string> {
  const presigned = await reusedSigner.presign(new HttpRequest({
    method: 'GET', protocol: 'https:', hostname: target.host, port: target.port,
    path: '/', query: { Action: 'connect', DBUser: dbUser },
    headers: { host: `${target.host}:${target.port}` },
  }), { expiresIn: 900 });
  return `${target.host}:${target.port}/?${queryString(
    Object.entries(presigned.query ?? {}).map(([key, value]) => [key, String(value)]))}`;
}

// Keys in code-point order, as rds-signer's URL formatting writes them.
function queryString(params: Array<[string, string]>): string {
  return [...params].sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&');
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The presigned URL from first principles: the SigV4 HMAC chain by hand. */
function presignByHand(): string {
  const stamp = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = stamp.slice(0, 8);
  const scope = `${day}/${target.region}/rds-db/aws4_request`;
  const params: Array<[string, string]> = [
    ['Action', 'connect'],
    ['DBUser', dbUser],
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${session.accessKeyId}/${scope}`],
    ['X-Amz-Date', stamp],
    ['X-Amz-Expires', '900'],
    ['X-Amz-Security-Token', session.sessionToken],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = queryString(params);
  const host = `${target.host}:${target.port}`;
  const canonical = `GET\n/\n${query}\nhost:${host}\n\nhost\n` +
    createHash('sha256').update('').digest('hex');
  let key: Buffer = createHmac('sha256', `AWS4${session.secretAccessKey}`)
    .update(day).digest();
  for (const part of [target.region, 'rds-db', 'aws4_request']) {
    key = createHmac('sha256', key).update(part).digest();
  }
  const signature = createHmac('sha256', key).update(
    `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n` +
    createHash('sha256').update(canonical).digest('hex')).digest('hex');
  return `${host}/?${queryString([...params, ['X-Amz-Signature', signature]])}`;
}

// Runs `work` with `new Date()` and Date.now() frozen at one instant.
async function atFixedClock<T>(work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const frozen = RealDate.UTC(2025, 5, 1, 12, 0, 0);
  class FixedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(frozen);
      else super(...(args as [number]));
    }
    static override now(): number {
      return frozen;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}

/**
 * Section 3: the project's database token signing (a new rds-signer Signer
 * per request) against one reused SignatureV4 and against the HMAC chain
 * by hand. All three must produce the same token at a fixed clock.
 */
async function benchDbTokenSigning(options: SampleOptions): Promise<void> {
  const [project, reused, byHand] = await atFixedClock(async () => [
    (await signDbToken(session, target, dbUser)).token,
    await presignReused(),
    presignByHand(),
  ]);
  const same = project === reused && reused === byHand;
  if (!same) {
    throw new Error(`The three signers disagree:\n${project}\n${reused}\n${byHand}`);
  }

  const ours = await timeOf(() => signDbToken(session, target, dbUser), options);
  const sdk = await timeOf(presignReused, options);
  const hand = await timeOf(presignByHand, options);
  printSection(`3. Database token signing (median of ${options.iterations}; ` +
    'ratio against the HMAC chain; the three tokens are identical at a ' +
    'fixed clock)', ['signer', 'median'], [
    { label: 'project: signDbToken (rds-signer, new Signer each)',
      value: micros(ours.medianUs), ratio: ours.medianUs / hand.medianUs },
    { label: 'SignatureV4 presign, reused signer',
      value: micros(sdk.medianUs), ratio: sdk.medianUs / hand.medianUs },
    { label: 'floor: HMAC chain by hand (node:crypto)',
      value: micros(hand.medianUs), ratio: 1, note: `identical tokens: ${same}` },
  ]);
}

export { benchDbTokenSigning };
