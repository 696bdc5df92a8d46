import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Signer } from '@aws-sdk/rds-signer';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintToken } from '../../shared/audit/audit-event.js';
import { metricNames } from '../../shared/telemetry/metrics.js';
import { copyService } from '../../local/service-copy.js';

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
interface DataProtectionPolicy {
  Configuration: { CustomDataIdentifier: Array<{ Name: string; Regex: string }> };
  Statement: Array<{ DataIdentifier: string[]; Operation: Record<string, unknown> }>;
}

const queryNames = ['caller-volume', 'credentials-issued', 'denials-by-reason',
  'foreign-tenant-or-audience', 'person-history', 'upstream-failures'];
// The audit events come from these two; every function's logs are masked.
const functionLogGroups = ['CredentialsLogGroup', 'TargetsLogGroup'];
const allLogGroups = [...functionLogGroups, 'OidcLogGroup'];
let output: string;
let resources: Record<string, Resource>;

function ofType(type: string): Array<[string, Resource]> {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

// `osls package --stage local` needs no AWS credentials. It runs in a
// private copy of the service, whose build folder no parallel test shares,
// and --package keeps the output out of any .serverless directory.
let service: ReturnType<typeof copyService>;
beforeAll(async () => {
  service = copyService();
  output = mkdtempSync(join(tmpdir(), 'aurora-aad-package-'));
  await promisify(execFile)('node_modules/.bin/osls',
    ['package', '--stage', 'local', '--package', output], {
      cwd: service.dir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      timeout: 120_000,
    });
  const template = JSON.parse(readFileSync(
    join(output, 'cloudformation-template-update-stack.json'), 'utf8')) as
    { Resources: Record<string, Resource> };
  resources = template.Resources;
}, 120_000);

afterAll(() => {
  rmSync(output, { recursive: true, force: true });
  service?.remove();
});

describe('the packaged stack', () => {
  it('holds the six saved audit queries over both functions\' logs', () => {
    const queries = ofType('AWS::Logs::QueryDefinition')
      .map(([, r]) => r.Properties);

    expect(queries.map((q) => q.Name).sort())
      .toEqual(queryNames.map((name) => `aurora-aad/local/${name}`));
    for (const query of queries) {
      const name = String(query.Name).split('/')[2];
      expect(query.QueryString)
        .toBe(readFileSync(`ops/queries/${name}.logsinsights`, 'utf8'));
      expect(query.LogGroupNames).toEqual(functionLogGroups
        .map((group) => ({ Ref: group })));
    }
  });

  it('alarms on denials, STS and JWKS failure rates and throttling', () => {
    const alarms = Object.fromEntries(ofType('AWS::CloudWatch::Alarm')
      .map(([, r]) => [r.Properties.AlarmName, r.Properties]));
    const watched = (name: string) => JSON.stringify(alarms[name]);

    expect(Object.keys(alarms).sort()).toEqual([
      'aurora-aad-local-denied-spike', 'aurora-aad-local-http-api-4xx',
      'aurora-aad-local-jwks-failure-rate', 'aurora-aad-local-sts-failure-rate',
      'aurora-aad-local-throttles']);
    expect(alarms['aurora-aad-local-denied-spike']).toMatchObject({
      Namespace: 'aurora-aad', MetricName: metricNames.denied,
      Threshold: 50, Period: 300, Statistic: 'Sum',
      Dimensions: [{ Name: 'service', Value: 'aurora-aad' },
        { Name: 'stage', Value: 'local' }],
    });
    expect(watched('aurora-aad-local-sts-failure-rate'))
      .toContain(`"MetricName":"${metricNames.stsCalls}"`);
    expect(watched('aurora-aad-local-sts-failure-rate'))
      .toContain(`"MetricName":"${metricNames.stsFailures}"`);
    expect(watched('aurora-aad-local-jwks-failure-rate'))
      .toContain(`"MetricName":"${metricNames.jwksFailures}"`);
    expect(alarms['aurora-aad-local-sts-failure-rate']?.Threshold).toBe(5);
    expect(watched('aurora-aad-local-throttles'))
      .toContain('"Value":"aurora-aad-local-credentials"');
    expect(watched('aurora-aad-local-throttles'))
      .toContain('"MetricName":"Throttles"');
  });

  it('keeps the functions\' logs 90 days', () => {
    for (const group of allLogGroups) {
      expect(resources[group]?.Properties.RetentionInDays).toBe(90);
    }
  });

  it('throttles every route of the HTTP API', () => {
    expect(resources.HttpApiStage?.Properties.DefaultRouteSettings)
      .toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });

  it('masks and audits token-shaped data in the functions\' logs', () => {
    for (const group of allLogGroups) {
      const policy = resources[group]?.Properties.DataProtectionPolicy as
        DataProtectionPolicy;
      const names = policy.Configuration.CustomDataIdentifier
        .map((identifier) => identifier.Name);

      expect(names).toEqual(['CompactJwt', 'RdsAuthTokenSignature',
        'RdsAuthTokenSessionToken']);
      expect(policy.Statement.map((s) => Object.keys(s.Operation)[0]))
        .toEqual(['Audit', 'Deidentify']);
      for (const statement of policy.Statement) {
        expect(statement.DataIdentifier).toEqual(expect.arrayContaining(names));
      }
    }
  });

  it('recognises a real JWT and a real RDS token, not a fingerprint',
    async () => {
      const policy = resources.CredentialsLogGroup?.Properties
        .DataProtectionPolicy as DataProtectionPolicy;
      const patterns = Object.fromEntries(policy.Configuration
        .CustomDataIdentifier.map(({ Name, Regex }) => [Name, new RegExp(Regex)]));
      const { privateKey } = await generateKeyPair('RS256');
      const jwt = await new SignJWT({ tid: 't', oid: 'o' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .setIssuedAt().sign(privateKey);
      const rdsToken = await new Signer({
        hostname: 'orders.cluster-abc123.eu-west-1.rds.amazonaws.com',
        port: 5432, username: 'app_reader', region: 'eu-west-1',
        credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret',
          sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE+session/token==' },
      }).getAuthToken();
      const logLine = (value: string) =>
        JSON.stringify({ level: 'INFO', message: 'x', value });

      expect(patterns.CompactJwt?.test(logLine(jwt))).toBe(true);
      expect(patterns.RdsAuthTokenSignature?.test(logLine(rdsToken))).toBe(true);
      expect(patterns.RdsAuthTokenSessionToken?.test(logLine(rdsToken)))
        .toBe(true);
      const fingerprint = fingerprintToken('k'.repeat(32), jwt);
      for (const pattern of Object.values(patterns)) {
        expect(pattern.test(logLine(fingerprint))).toBe(false);
      }
    });

  it('gives the functions\' role no wildcard resource and no STS action',
    () => {
      const role = resources.IamRoleLambdaExecution?.Properties as
        { Policies: Array<{ PolicyDocument: { Statement: Statement[] } }> };
      const attached = ofType('AWS::IAM::Policy')
        .filter(([, r]) => JSON.stringify(r.Properties.Roles ?? [])
          .includes('IamRoleLambdaExecution'))
        .map(([, r]) => r.Properties.PolicyDocument as { Statement: Statement[] });
      const statements = [...role.Policies.map((p) => p.PolicyDocument), ...attached]
        .flatMap((document) => document.Statement);
      const actions = statements.flatMap((s) => [s.Action].flat());
      const resourcesOf = statements.flatMap((s) => [s.Resource].flat());

      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(resourcesOf).not.toContain('*');
      expect(resourcesOf.every((r) => r !== undefined)).toBe(true);
      expect(actions.filter((a) => !/^logs:|^kms:(Sign|GetPublicKey)$/.test(a)))
        .toEqual([]);
      expect(actions.some((a) => a.startsWith('sts:'))).toBe(false);
      for (const statement of statements) {
        if (String(statement.Action).startsWith('logs:')) {
          expect(JSON.stringify(statement.Resource))
            .toContain('log-group:/aws/lambda/aurora-aad-local');
        } else {
          for (const key of [statement.Resource].flat()) {
            expect(JSON.stringify(key))
              .toMatch(/^\{"Fn::GetAtt":\["\w+","Arn"\]\}$|^"arn:aws:kms:/);
          }
        }
      }
    });
});
