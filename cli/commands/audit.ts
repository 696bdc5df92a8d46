import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClientConfig } from '@aws-sdk/client-cloudwatch-logs';
import type { Command } from '../command.js';
import { AuditFailure } from '../audit/audit-failure.js';
import { parseAuditOptions } from '../audit/audit-options.js';
import type { AuditOptions } from '../audit/audit-options.js';
import { queryProgress } from '../audit/progress.js';
import type { Output } from '../audit/progress.js';
import { resultsTable } from '../audit/results-table.js';
import { runQuery } from '../audit/run-query.js';
import {
  findSavedQuery,
  listSavedQueries,
  withFilters,
} from '../audit/saved-queries.js';

/** What the command needs from the outside, replaceable in tests. */
interface AuditCommandDeps {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
  createClient: (config: CloudWatchLogsClientConfig) => CloudWatchLogsClient;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  pollIntervalMs: number;
}

const usage = `usage: aurora-aad audit <query> [--since 24h] [--until TIME]
                        [--where field=value]... [--json] [--stage prod]
                        [--region R] [--endpoint-url URL] [--wait 300s]
       aurora-aad audit --list [--stage prod] [--region R]

Runs a saved Logs Insights query of the deployed stack over the audit
events and prints a table (or JSON with --json). Queries: docs/audit.md.
`;

/**
 * `aurora-aad audit`: an auditor's way to the saved queries without the
 * console. Output goes to stdout, the wait indicator and errors to
 * stderr, and the exit code says which failure it was (docs/cli.md).
 */
function createAuditCommand(deps: AuditCommandDeps): Command {
  return {
    name: 'audit',
    summary: 'Runs a saved audit query (Logs Insights) and prints the result.',
    async run(args) {
      if (args.includes('--help') || args.includes('-h')) {
        deps.stdout.write(usage);
        return 0;
      }
      try {
        const options = parseAuditOptions(args, new Date(deps.now()),
          deps.env);
        await runAudit(options, deps);
        return 0;
      } catch (error) {
        const failure = error instanceof AuditFailure ? error
          : new AuditFailure('aws_error', (error as Error).message,
            { cause: error });
        deps.stderr.write(`aurora-aad audit: ${failure.code}: ` +
          `${failure.message}\n`);
        if (failure.code === 'usage_error') deps.stderr.write(usage);
        return failure.exitCode;
      }
    },
  };
}

async function runAudit(options: AuditOptions,
  deps: AuditCommandDeps): Promise<void> {
  const client = deps.createClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
  });
  try {
    if (!options.query) {
      const queries = await listSavedQueries(client, options.stage);
      deps.stdout.write(options.json ? `${JSON.stringify(queries, null, 2)}\n`
        : resultsTable(queries.map(({ name, logGroupNames }) =>
          ({ query: name, log_groups: logGroupNames.join(', ') }))));
      return;
    }

    const query = await findSavedQuery(client, options.stage, options.query);
    const label = `aurora-aad/${options.stage}/${query.name}`;
    const progress = queryProgress(deps.stderr, label);
    const run = await runQuery(client, query,
      withFilters(query.queryString, options.where), {
        start: options.start,
        end: options.end,
        waitSeconds: options.waitSeconds,
        pollIntervalMs: deps.pollIntervalMs,
        now: deps.now,
        sleep: deps.sleep,
      }, progress);
    progress.done(`${label}: ${run.rows.length} rows from ` +
      `${run.recordsMatched.toLocaleString('en-US')} matching events, ` +
      `${options.start.toISOString()} to ${options.end.toISOString()}.`);

    deps.stdout.write(options.json ? `${JSON.stringify(run.rows, null, 2)}\n`
      : resultsTable(run.rows));
  } finally {
    client.destroy();
  }
}

/** The command as the CLI runs it: real streams, clock and AWS client. */
const auditCommand = createAuditCommand({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  createClient: (config) => new CloudWatchLogsClient(config),
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  pollIntervalMs: 1000,
});

export { auditCommand, createAuditCommand };
export type { AuditCommandDeps };
