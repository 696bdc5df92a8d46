import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleWithWebIdentityCommandInput } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStsStandIn } from '../../local/sts/server.js';
import type { StsStandIn } from '../../local/sts/server.js';
import {
  API_CLIENT_ID,
  V1_ISSUER,
  V2_ISSUER,
  checkedInAccount,
  roleArn,
  startIssuer,
  stsClient,
} from './sts-fixture.js';
import type { IssuerFixture } from './sts-fixture.js';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

let issuer: IssuerFixture;
let sts: StsStandIn;

beforeAll(async () => {
  issuer = await startIssuer();
  sts = await startStsStandIn({ account: checkedInAccount(issuer), now: () => NOW });
});

afterAll(async () => {
  await sts?.close();
  await issuer?.close();
});

function assume(
  input: Partial<AssumeRoleWithWebIdentityCommandInput> & { WebIdentityToken: string },
) {
  return stsClient(sts.url).send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: roleArn('aurora-orders-reader'),
      RoleSessionName: 'alice@contoso.com',
      DurationSeconds: 900,
      ...input,
    }),
  );
}

/** The SDK's error for a refused call, with the fields the tests assert. */
async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (caught: unknown) => caught,
  );
  return error as Error & {
    Code?: string;
    $metadata: { httpStatusCode?: number; requestId?: string };
  };
}

describe('AssumeRoleWithWebIdentity through the AWS SDK', () => {
  it('issues credentials shaped like STS for a trusted v1 token', async () => {
    const token = await issuer.mint({ sub: 'user-42' });

    const out = await assume({ WebIdentityToken: token });

    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    expect(out.Credentials?.Expiration?.getTime()).toBe(NOW.getTime() + 900_000);
    expect(out.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/aurora-orders-reader/alice@contoso.com',
    );
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:alice@contoso\.com$/);
    expect(out.SubjectFromWebIdentityToken).toBe('user-42');
    expect(out.Audience).toBe('api://aurora-aad');
    expect(out.Provider).toBe(V1_ISSUER);
    expect(out.PackedPolicySize).toBeUndefined();
    expect(out.SourceIdentity).toBeUndefined();
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the role id stable and the credentials fresh across sessions', async () => {
    const token = await issuer.mint({});

    const first = await assume({ WebIdentityToken: token, RoleSessionName: 'one' });
    const second = await assume({ WebIdentityToken: token, RoleSessionName: 'two' });

    const id = (value?: string) => value?.split(':')[0];
    expect(id(first.AssumedRoleUser?.AssumedRoleId)).toBe(
      id(second.AssumedRoleUser?.AssumedRoleId),
    );
    expect(first.Credentials?.AccessKeyId).not.toBe(second.Credentials?.AccessKeyId);
  });

  it('defaults to a one-hour session when DurationSeconds is absent', async () => {
    const token = await issuer.mint({});

    const out = await assume({ WebIdentityToken: token, DurationSeconds: undefined });

    expect(out.Credentials?.Expiration?.getTime()).toBe(NOW.getTime() + 3600_000);
  });

  it('reports PackedPolicySize for a session policy', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: 'arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABC/app_reader',
        },
      ],
    });

    const out = await assume({ WebIdentityToken: await issuer.mint({}), Policy: policy });

    expect(out.PackedPolicySize).toBe(Math.ceil((policy.length * 100) / 2048));
  });

  it('accepts a v2 token through the oaud condition', async () => {
    const token = await issuer.mint({ iss: V2_ISSUER, aud: API_CLIENT_ID, azp: 'cli-app' });

    const out = await assume({ WebIdentityToken: token, RoleArn: roleArn('aurora-orders-writer') });

    expect(out.Provider).toBe(V2_ISSUER);
    expect(out.Audience).toBe('cli-app');
  });

  it('returns claim values with XML special characters intact', async () => {
    const token = await issuer.mint({ sub: `a<b>&"c'` });

    const out = await assume({ WebIdentityToken: token });

    expect(out.SubjectFromWebIdentityToken).toBe(`a<b>&"c'`);
  });
});

describe('the wire format', () => {
  async function post(body: Record<string, string>, init: RequestInit = {}) {
    return fetch(sts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(body).toString(),
      ...init,
    });
  }

  function form(token: string): Record<string, string> {
    return {
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn('aurora-orders-reader'),
      RoleSessionName: 'wire-test',
      WebIdentityToken: token,
      DurationSeconds: '900',
    };
  }

  it('answers text/xml in the STS namespace with a request id header', async () => {
    const response = await post(form(await issuer.mint({ sub: 'x&y' })));
    const body = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/xml');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body).toContain(
      '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
    );
    expect(body).toContain(`<RequestId>${requestId}</RequestId>`);
    expect(body).toContain('<SubjectFromWebIdentityToken>x&amp;y</SubjectFromWebIdentityToken>');
    const expiration = /<Expiration>([^<]+)<\/Expiration>/.exec(body)?.[1];
    expect(expiration).toBe(new Date(NOW.getTime() + 900_000).toISOString().replace('.000', ''));
  });

  it('serves the query protocol over GET as well', async () => {
    const query = new URLSearchParams(form(await issuer.mint({}))).toString();

    const response = await fetch(`${sts.url}/?${query}`);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<AccessKeyId>ASIA');
  });

  it('refuses another action with InvalidAction', async () => {
    const response = await post({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
    const body = await response.text();

    expect(response.status).toBe(400);
    expect(body).toContain('<Type>Sender</Type>');
    expect(body).toContain('<Code>InvalidAction</Code>');
  });

  it('refuses a wrong API version with InvalidAction', async () => {
    const response = await post({ ...form('abcd'), Version: '2010-01-01' });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('lists every missing parameter in one ValidationError', async () => {
    const response = await post({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15' });
    const body = await response.text();

    expect(response.status).toBe(400);
    expect(body).toContain('<Code>ValidationError</Code>');
    expect(body).toContain('3 validation errors detected');
    for (const field of ['roleArn', 'roleSessionName', 'webIdentityToken']) {
      expect(body).toContain(`Value null at &apos;${field}&apos;`);
    }
  });

  it('refuses a JSON body rather than misreading it', async () => {
    const response = await fetch(sts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>InvalidAction</Code>');
  });
});

describe('refusals through the AWS SDK', () => {
  it.each([
    ['a one-character session name', { RoleSessionName: 'a' }, 'greater than or equal to 2'],
    ['a session name with a space', { RoleSessionName: 'bad name' }, 'regular expression pattern'],
    ['a long session name', { RoleSessionName: 'x'.repeat(65) }, 'less than or equal to 64'],
    ['DurationSeconds under 900', { DurationSeconds: 899 }, 'greater than or equal to 900'],
    ['DurationSeconds over 43200', { DurationSeconds: 43201 }, 'less than or equal to 43200'],
    ['DurationSeconds over the role maximum', { DurationSeconds: 7200 }, 'MaxSessionDuration'],
    ['a malformed role ARN', { RoleArn: 'arn:aws:iam::1111:user/someone' }, 'ARN is invalid'],
  ])('answers ValidationError for %s', async (_title, input, fragment) => {
    const token = await issuer.mint({});

    const error = await refusal(assume({ WebIdentityToken: token, ...input }));

    expect(error.name).toBe('ValidationError');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain(fragment);
    expect(error.message).not.toContain(token);
  });

  it('answers ValidationError for a 3-character token without echoing it', async () => {
    const error = await refusal(assume({ WebIdentityToken: 'a.b' }));

    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain("'webIdentityToken'");
    expect(error.message).not.toContain('a.b');
  });

  it.each([
    ['a policy that is not JSON', 'not json'],
    ['a policy without statements', '{"Version":"2012-10-17"}'],
    ['a statement without Effect', '{"Statement":[{"Action":"*","Resource":"*"}]}'],
  ])('answers MalformedPolicyDocument for %s', async (_title, policy) => {
    const token = await issuer.mint({});

    const error = await refusal(assume({ WebIdentityToken: token, Policy: policy }));

    expect(error.name).toBe('MalformedPolicyDocumentException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers PackedPolicyTooLarge for a policy over the packed budget', async () => {
    const resources = Array.from({ length: 40 }, (_, index) =>
      `arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJ/user_${index}`,
    );
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: resources }],
    });

    const token = await issuer.mint({});

    const error = await refusal(assume({ WebIdentityToken: token, Policy: policy }));

    expect(error.name).toBe('PackedPolicyTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/\d+% of the packed size/);
  });

  it('answers InvalidIdentityToken for a token that is not a JWT', async () => {
    const error = await refusal(assume({ WebIdentityToken: 'definitely-not-a-jwt' }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).not.toContain('definitely-not-a-jwt');
  });

  it('answers InvalidIdentityToken naming an issuer with no registered provider', async () => {
    const token = await issuer.mint({ iss: 'https://issuer.example.test/tenant/' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toBe(
      'No OpenIDConnect provider found in your account for https://issuer.example.test/tenant/',
    );
  });

  it('answers InvalidIdentityToken for a signature the provider keys do not verify', async () => {
    const token = await issuer.mint({}, { key: 'unpublished' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toContain('signature');
    expect(error.message).not.toContain(token);
  });

  it('answers InvalidIdentityToken for an audience no client id matches', async () => {
    const token = await issuer.mint({ aud: 'https://graph.microsoft.com' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toContain('Incorrect token audience');
  });

  it('answers InvalidIdentityToken for a token signed with RS384', async () => {
    const token = await issuer.mint({}, { key: 'rs384' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toContain('RS384');
  });

  it('answers InvalidIdentityToken for a kid the provider never published', async () => {
    const token = await issuer.mint({}, { kid: 'no-such-key' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toContain('verification key');
  });

  it('answers InvalidIdentityToken for a token without exp', async () => {
    const token = await issuer.mint({}, { omit: ['exp'] });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('InvalidIdentityTokenException');
    expect(error.message).toContain('exp');
  });

  it('answers ExpiredTokenException for an expired token', async () => {
    const token = await issuer.mint({}, { expiresIn: -120 });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('ExpiredTokenException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^Token expired: current date\/time \d+ must be before/);
  });

  it.each([
    ['a role the account does not have', roleArn('aurora-nonexistent')],
    ['a role in another account', 'arn:aws:iam::999999999999:role/aurora-orders-reader'],
    ['a role whose trust policy names another provider', roleArn('aurora-untrusted')],
    ['a role that requires another subject', roleArn('aurora-inventory-writer')],
  ])('answers AccessDenied for %s', async (_title, arn) => {
    const token = await issuer.mint({ iss: V2_ISSUER, aud: API_CLIENT_ID });

    const error = await refusal(assume({ WebIdentityToken: token, RoleArn: arn }));

    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('answers IDPRejectedClaim for a source identity STS does not allow', async () => {
    const token = await issuer.mint({ 'https://aws.amazon.com/source_identity': 'aws:alice' });

    const error = await refusal(assume({ WebIdentityToken: token }));

    expect(error.name).toBe('IDPRejectedClaimException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});

describe('the provider JWKS', () => {
  it('answers IDPCommunicationError while the JWKS endpoint fails', async () => {
    const own = await startIssuer();
    const standIn = await startStsStandIn({ account: checkedInAccount(own) });
    try {
      own.setJwksStatus(503);
      const token = await own.mint({});

      const error = await refusal(
        stsClient(standIn.url).send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: roleArn('aurora-orders-reader'),
            RoleSessionName: 'jwks-down',
            WebIdentityToken: token,
          }),
        ),
      );

      expect(error.name).toBe('IDPCommunicationErrorException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    } finally {
      await standIn.close();
      await own.close();
    }
  });

  it('caches the JWKS and fetches it again for a new kid', async () => {
    const own = await startIssuer();
    const standIn = await startStsStandIn({ account: checkedInAccount(own) });
    const send = async () =>
      stsClient(standIn.url).send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: roleArn('aurora-orders-reader'),
          RoleSessionName: 'rotation',
          WebIdentityToken: await own.mint({}),
        }),
      );
    try {
      await send();
      await send();
      expect(own.jwksFetches).toBe(1);

      await own.rotate();
      const out = await send();

      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
      expect(own.jwksFetches).toBe(2);
    } finally {
      await standIn.close();
      await own.close();
    }
  });
});
