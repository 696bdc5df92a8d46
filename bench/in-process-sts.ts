import { randomUUID } from 'node:crypto';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * An STS client whose requests never leave the process: its request handler
 * answers every AssumeRoleWithWebIdentity at once with fresh 15-minute
 * credentials. The benchmark measures the API's own work; the real STS's
 * latency (tens of milliseconds) would only hide it.
 */
function inProcessSts(): { client: STSClient; calls: () => number } {
  let calls = 0;
  const requestHandler = {
    async handle() {
      calls += 1;
      const expiration = new Date(Date.now() + 900_000).toISOString();
      const body = Buffer.from(
        '<AssumeRoleWithWebIdentityResponse ' +
        'xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
        '<AssumeRoleWithWebIdentityResult><Credentials>' +
        `<AccessKeyId>ASIA${String(calls).padStart(16, '0')}</AccessKeyId>` +
        '<SecretAccessKey>bench/secret/access/key/0000000000000000</SecretAccessKey>' +
        `<SessionToken>${'B'.repeat(600)}</SessionToken>` +
        `<Expiration>${expiration}</Expiration>` +
        '</Credentials></AssumeRoleWithWebIdentityResult>' +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId>` +
        '</ResponseMetadata></AssumeRoleWithWebIdentityResponse>');
      return {
        response: {
          statusCode: 200,
          reason: 'OK',
          headers: { 'content-type': 'text/xml' },
          body,
        },
      };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new STSClient({
    region: 'eu-west-1',
    requestHandler,
  });
  return { client, calls: () => calls };
}

export { inProcessSts };
