import { constants, createHash, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256: what RSASSA
// signs around a precomputed digest.
const sha256DigestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A loopback stand-in for AWS KMS's JSON 1.1 protocol, Sign and
 * GetPublicKey only, for one RSA_2048 SIGN_VERIFY key. KMS cannot be
 * reached from tests; the product's KMS signer talks to this through the
 * real SDK client.
 */
async function startKmsStandIn(keyId: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const calls: string[] = [];
  let failing = false;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const action = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      calls.push(action);
      const answer = failing
        ? { status: 500, body: { __type: 'KMSInternalException', message: 'down' } }
        : handle(action, input, keyId, privateKey, publicKey);
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': 'kms-request',
      });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setFailing(value: boolean) {
      failing = value;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function handle(action: string, input: Record<string, string>, keyId: string,
  privateKey: KeyObject, publicKey: KeyObject) {
  if (input.KeyId !== keyId) {
    return { status: 400, body: { __type: 'NotFoundException', message: `Key '${input.KeyId}' does not exist` } };
  }
  if (action === 'GetPublicKey') {
    return { status: 200, body: {
      KeyId: keyId,
      PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256'],
    } };
  }
  if (action === 'Sign' && input.SigningAlgorithm === 'RSASSA_PKCS1_V1_5_SHA_256') {
    const message = Buffer.from(input.Message ?? '', 'base64');
    const digest = input.MessageType === 'DIGEST'
      ? message
      : createHash('sha256').update(message).digest();
    const signature = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([sha256DigestInfo, digest]));
    return { status: 200, body: {
      KeyId: keyId, Signature: signature.toString('base64'),
      SigningAlgorithm: input.SigningAlgorithm,
    } };
  }
  return { status: 400, body: { __type: 'ValidationException', message: `unsupported ${action}` } };
}

export { startKmsStandIn };
