import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AuditFailure } from './audit-failure.js';
import type { QueryProgress } from './progress.js';
import type { SavedQuery } from './saved-queries.js';
import { sdkFailure } from './sdk-failure.js';

/** One result row, field name to value, in the order the query yields. */
type Row = Record<string, string>;

interface QueryRun {
  rows: Row[];
  recordsMatched: number;
  recordsScanned: number;
  elapsedMs: number;
}

interface RunSettings {
  start: Date;
  end: Date;
  waitSeconds: number;
  pollIntervalMs: number;
  /** Seams for tests: the clock and the pause between polls. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Starts a Logs Insights query and polls until it finishes. Complete
 * answers the rows (without Logs Insights' internal `@ptr`); Failed or
 * Cancelled is query_failed; the service's own Timeout, or our --wait
 * running out (the query is then stopped, so it costs nothing more), is
 * query_timeout.
 */
async function runQuery(client: CloudWatchLogsClient, query: SavedQuery,
  queryString: string, settings: RunSettings,
  progress: QueryProgress): Promise<QueryRun> {
  const startedAt = settings.now();
  const { queryId } = await client.send(new StartQueryCommand({
    logGroupNames: query.logGroupNames,
    queryString,
    startTime: Math.floor(settings.start.getTime() / 1000),
    endTime: Math.floor(settings.end.getTime() / 1000),
  })).catch((error: unknown) => {
    throw sdkFailure(error, 'StartQuery');
  });
  if (!queryId) {
    throw new AuditFailure('aws_error', 'StartQuery answered no queryId.');
  }

  for (;;) {
    const answer = await client.send(new GetQueryResultsCommand({ queryId }))
      .catch((error: unknown) => {
        throw sdkFailure(error, 'GetQueryResults');
      });
    const elapsedMs = settings.now() - startedAt;
    const status = answer.status ?? 'Unknown';
    const scanned = answer.statistics?.recordsScanned ?? 0;
    progress.update(status, elapsedMs, scanned);

    if (status === 'Complete') {
      return {
        rows: (answer.results ?? []).map(toRow),
        recordsMatched: answer.statistics?.recordsMatched ?? 0,
        recordsScanned: scanned,
        elapsedMs,
      };
    }
    if (status === 'Failed' || status === 'Cancelled') {
      throw new AuditFailure('query_failed', `Query ${queryId} ended ` +
        `${status} after ${seconds(elapsedMs)}; run it in the Logs Insights ` +
        'console to see the service\'s message.');
    }
    if (status === 'Timeout') {
      throw new AuditFailure('query_timeout', `CloudWatch Logs timed out ` +
        `query ${queryId} after ${seconds(elapsedMs)}; use a shorter --since.`);
    }
    if (elapsedMs >= settings.waitSeconds * 1000) {
      await client.send(new StopQueryCommand({ queryId })).catch(() => {
        // The query ends on its own at the service's limit; the timeout
        // below is what the caller needs to hear.
      });
      throw new AuditFailure('query_timeout', `Query ${queryId} was still ` +
        `${status} after ${seconds(elapsedMs)} and was stopped; raise --wait ` +
        'or use a shorter --since.');
    }
    await settings.sleep(settings.pollIntervalMs);
  }
}

function toRow(fields: Array<{ field?: string; value?: string }>): Row {
  const row: Row = {};
  for (const { field, value } of fields) {
    if (field && field !== '@ptr') row[field] = value ?? '';
  }
  return row;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export { runQuery };
export type { QueryRun, Row, RunSettings };
