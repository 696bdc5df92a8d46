import { readFileSync } from 'node:fs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuditCommand } from '../../cli/commands/audit.js';
import { startCloudWatchLogsStandIn } from '../../local/cloudwatch-logs/server.js';
import type {
  CannedQuery,
  CloudWatchLogsStandIn,
} from '../../local/cloudwatch-logs/server.js';

const logGroups = ['/aws/lambda/aurora-aad-prod-credentials',
  '/aws/lambda/aurora-aad-prod-targets'];
const now = Date.parse('2025-06-01T12:00:00Z');
let logs: CloudWatchLogsStandIn;
let next: CannedQuery;

function query(name: string) {
  return {
    name: `aurora-aad/prod/${name}`,
    queryString: readFileSync(`ops/queries/${name}.logsinsights`, 'utf8'),
    logGroupNames: logGroups,
  };
}

function row(fields: Record<string, string>) {
  return [...Object.entries(fields).map(([field, value]) => ({ field, value })),
    { field: '@ptr', value: 'CmAKJwoj...' }];
}

function output(isTTY = false) {
  const chunks: string[] = [];
  return { isTTY, chunks, text: () => chunks.join(''),
    write: (text: string) => chunks.push(text) };
}

// The command with a fake clock that moves one second per poll.
function command(stdout = output(), stderr = output()) {
  let clock = now;
  return {
    stdout,
    stderr,
    audit: createAuditCommand({
      stdout,
      stderr,
      env: {},
      createClient: (config) => new CloudWatchLogsClient({
        ...config,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'standin' },
      }),
      now: () => clock,
      sleep: async (ms) => { clock += ms; },
      pollIntervalMs: 1000,
    }),
  };
}

beforeAll(async () => {
  logs = await startCloudWatchLogsStandIn({
    queryDefinitions: [query('credentials-issued'), query('person-history'),
      query('denials-by-reason'),
      { name: 'aurora-aad/staging/caller-volume', queryString: 'stats count(*)',
        logGroupNames: logGroups }],
    answer: () => next,
  });
});

afterAll(() => logs.close());

beforeEach(() => {
  next = {
    statuses: ['Scheduled', 'Running', 'Complete'],
    statistics: { recordsMatched: 3, recordsScanned: 1200, bytesScanned: 9 },
    results: [
      row({ tid: 't1', oid: 'o-alice', display_name: 'alice@contoso.example',
        target: 'orders-prod', db_user: 'app_reader', issued: '2' }),
      row({ tid: 't1', oid: 'o-billing', target: 'billing', db_user: 'billing',
        issued: '1' }),
    ],
  };
});

describe('aurora-aad audit', () => {
  it('runs the saved query over the period and prints a table', async () => {
    const { audit, stdout, stderr } = command();

    const code = await audit.run(['credentials-issued', '--since', '24h',
      '--endpoint-url', logs.url]);

    expect(code).toBe(0);
    expect(stdout.text()).toBe(
      'tid  oid        display_name           target       db_user     issued\n' +
      '---  ---------  ---------------------  -----------  ----------  ------\n' +
      't1   o-alice    alice@contoso.example  orders-prod  app_reader  2\n' +
      't1   o-billing                         billing      billing     1\n');
    const started = logs.started.at(-1);
    expect(started?.queryString)
      .toBe(readFileSync('ops/queries/credentials-issued.logsinsights', 'utf8'));
    expect(started?.logGroupNames).toEqual(logGroups);
    expect(started?.endTime).toBe(now / 1000);
    expect(started?.startTime).toBe(now / 1000 - 86_400);
    expect(stderr.text()).toContain(
      'aurora-aad/prod/credentials-issued: Scheduled (0.0 s, 1,200 records scanned)');
    expect(stderr.text()).toContain(
      'aurora-aad/prod/credentials-issued: Running (1.0 s');
    expect(stderr.text()).toContain('2 rows from 3 matching events');
  });

  it('prints the rows as JSON with --json', async () => {
    const { audit, stdout } = command();

    const code = await audit.run(['credentials-issued', '--json',
      '--endpoint-url', logs.url]);

    expect(code).toBe(0);
    const rows = JSON.parse(stdout.text()) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ tid: 't1', oid: 'o-alice',
      display_name: 'alice@contoso.example', target: 'orders-prod',
      db_user: 'app_reader', issued: '2' });
  });

  it('narrows a saved query to one person with --where', async () => {
    const { audit } = command();

    const code = await audit.run(['person-history', '--since', '7d',
      '--where', 'oid=0e3c1a52-8f0e-4b7a-9d7e-3c1f5a2b9c41',
      '--endpoint-url', logs.url]);

    expect(code).toBe(0);
    const lines = logs.started.at(-1)?.queryString.split('\n') ?? [];
    expect(lines[1]).toBe('filter oid = "0e3c1a52-8f0e-4b7a-9d7e-3c1f5a2b9c41"');
    expect(lines[2]).toBe('| filter ispresent(oid)');
    expect(logs.started.at(-1)?.startTime).toBe(now / 1000 - 7 * 86_400);
  });

  it('redraws one progress line on a terminal', async () => {
    const stderr = output(true);
    const { audit } = command(output(), stderr);

    await audit.run(['credentials-issued', '--endpoint-url', logs.url]);

    expect(stderr.text()).toMatch(/^\r\x1b\[K\| aurora-aad\/prod\/credentials-issued: Scheduled/);
    expect(stderr.text()).toContain('\r\x1b[K/ aurora-aad/prod/credentials-issued: Running');
  });

  it('reports a failed query as query_failed with exit code 4', async () => {
    next = { statuses: ['Running', 'Failed'] };
    const { audit, stdout, stderr } = command();

    const code = await audit.run(['denials-by-reason', '--endpoint-url',
      logs.url]);

    expect(code).toBe(4);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toMatch(/aurora-aad audit: query_failed: Query \S+ ended Failed/);
  });

  it('reports the service timing out as query_timeout with exit code 5',
    async () => {
      next = { statuses: ['Running', 'Timeout'] };
      const { audit, stderr } = command();

      const code = await audit.run(['denials-by-reason', '--endpoint-url',
        logs.url]);

      expect(code).toBe(5);
      expect(stderr.text()).toMatch(/query_timeout: CloudWatch Logs timed out/);
    });

  it('stops a query still running after --wait and exits with 5',
    async () => {
      next = { statuses: ['Running'] };
      const { audit, stderr } = command();

      const code = await audit.run(['denials-by-reason', '--wait', '5s',
        '--endpoint-url', logs.url]);

      expect(code).toBe(5);
      expect(stderr.text()).toMatch(
        /query_timeout: Query \S+ was still Running after 5\.0 s and was stopped/);
      expect(logs.stopped).toContain(logs.started.at(-1)?.queryId);
    });

  it('names the deployed queries when the query is unknown', async () => {
    const { audit, stderr } = command();

    const code = await audit.run(['who-did-it', '--endpoint-url', logs.url]);

    expect(code).toBe(3);
    expect(stderr.text()).toContain('query_not_found: No saved query ' +
      'aurora-aad/prod/who-did-it is deployed; stage prod has: ' +
      'credentials-issued, denials-by-reason, person-history.');
  });

  it('lists the saved queries of the stage with --list', async () => {
    const { audit, stdout } = command();

    const code = await audit.run(['--list', '--stage', 'staging',
      '--endpoint-url', logs.url]);

    expect(code).toBe(0);
    expect(stdout.text()).toContain('caller-volume  /aws/lambda/aurora-aad-prod-credentials');
  });

  it.each([
    [['credentials-issued', '--since', 'yesterday'], '--since takes a duration'],
    [['credentials-issued', '--where', 'password=x'], 'an audit event field'],
    [['credentials-issued', '--where', 'oid=a" or 1=1'], 'without quotes'],
    [['credentials-issued', '--bogus'], "Unknown option '--bogus'"],
    [[], 'Name a saved query'],
  ])('refuses %j as usage_error with exit code 2', async (args, message) => {
    const { audit, stderr } = command();

    const code = await audit.run([...args, '--endpoint-url', logs.url]);

    expect(code).toBe(2);
    expect(stderr.text()).toContain('aurora-aad audit: usage_error: ');
    expect(stderr.text()).toContain(message);
  });

  it('reports an unreachable CloudWatch Logs as aws_error with exit code 6',
    async () => {
      const { audit, stderr } = command();

      const code = await audit.run(['credentials-issued',
        '--endpoint-url', 'http://127.0.0.1:9']);

      expect(code).toBe(6);
      expect(stderr.text()).toContain(
        'aurora-aad audit: aws_error: DescribeQueryDefinitions failed');
    });
});
