import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' |
  'Cancelled' | 'Timeout' | 'Unknown';

/** A saved query as DescribeQueryDefinitions returns it. */
interface QueryDefinition {
  name: string;
  queryString: string;
  logGroupNames: string[];
}

/** One row of a Logs Insights result: the fields in the order of the query. */
type ResultRow = Array<{ field: string; value: string }>;

/**
 * How one started query behaves: the statuses GetQueryResults reports, one
 * per call (the last one repeats), and the rows and statistics it returns
 * once the status is Complete.
 */
interface CannedQuery {
  statuses: QueryStatus[];
  results?: ResultRow[];
  statistics?: { recordsMatched: number; recordsScanned: number;
    bytesScanned: number };
}

/** What StartQuery received, for tests to check. */
interface StartedQuery {
  queryId: string;
  queryString: string;
  logGroupNames: string[];
  startTime: number;
  endTime: number;
}

interface CloudWatchLogsStandInOptions {
  queryDefinitions: QueryDefinition[];
  /** Decides how each started query behaves. */
  answer: (query: StartedQuery) => CannedQuery;
}

interface CloudWatchLogsStandIn {
  url: string;
  /** Every query started, in order. */
  started: StartedQuery[];
  /** The ids StopQuery was called for. */
  stopped: string[];
  close(): Promise<void>;
}

class ServiceError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

/**
 * A CloudWatch Logs stand-in for the audit command's tests: the real
 * service's JSON 1.1 protocol on loopback (`X-Amz-Target:
 * Logs_20140328.<Operation>`), with the four operations a Logs Insights run
 * needs and canned answers. It does not check signatures: the SDK signs,
 * and what is under test is the client side.
 */
async function startCloudWatchLogsStandIn(
  options: CloudWatchLogsStandInOptions,
): Promise<CloudWatchLogsStandIn> {
  const started: StartedQuery[] = [];
  const stopped: string[] = [];
  const running = new Map<string, { canned: CannedQuery; polls: number }>();

  const operations: Record<string, (input: Record<string, unknown>) =>
    unknown> = {
    DescribeQueryDefinitions: (input) => {
      const prefix = String(input.queryDefinitionNamePrefix ?? '');
      return {
        queryDefinitions: options.queryDefinitions
          .filter((definition) => definition.name.startsWith(prefix))
          .map((definition, index) => ({
            queryDefinitionId: `definition-${index}`,
            lastModified: 0,
            ...definition,
          })),
      };
    },
    StartQuery: (input) => {
      const query = startedQuery(input);
      started.push(query);
      running.set(query.queryId, { canned: options.answer(query), polls: 0 });
      return { queryId: query.queryId };
    },
    GetQueryResults: (input) => {
      const query = running.get(String(input.queryId));
      if (!query) {
        throw new ServiceError('ResourceNotFoundException',
          'The query does not exist.');
      }
      const { statuses } = query.canned;
      const status = statuses[Math.min(query.polls, statuses.length - 1)];
      query.polls += 1;
      return {
        status,
        results: status === 'Complete' ? query.canned.results ?? [] : [],
        statistics: query.canned.statistics ??
          { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
      };
    },
    StopQuery: (input) => {
      stopped.push(String(input.queryId));
      return { success: true };
    },
  };

  const server = createServer((request, response) => {
    void answer(request, response, operations);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    started,
    stopped,
    close: () => new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

function startedQuery(input: Record<string, unknown>): StartedQuery {
  const logGroupNames = Array.isArray(input.logGroupNames)
    ? input.logGroupNames.map(String) : [];
  const startTime = Number(input.startTime);
  const endTime = Number(input.endTime);
  if (logGroupNames.length === 0 || typeof input.queryString !== 'string') {
    throw new ServiceError('InvalidParameterException',
      'logGroupNames and queryString are required.');
  }
  if (!Number.isInteger(startTime) || !Number.isInteger(endTime) ||
    startTime > endTime) {
    throw new ServiceError('InvalidParameterException',
      'startTime and endTime must be epoch seconds, start before end.');
  }
  return { queryId: randomUUID(), queryString: input.queryString,
    logGroupNames, startTime, endTime };
}

async function answer(request: IncomingMessage, response: ServerResponse,
  operations: Record<string, (input: Record<string, unknown>) => unknown>):
  Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  const operation = target.startsWith('Logs_20140328.')
    ? operations[target.slice('Logs_20140328.'.length)] : undefined;

  try {
    if (request.method !== 'POST' || !operation) {
      throw new ServiceError('UnknownOperationException',
        `The stand-in does not implement ${target || request.method}.`);
    }
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    reply(response, 200, operation(input as Record<string, unknown>));
  } catch (error) {
    const failure = error instanceof ServiceError ? error
      : new ServiceError('InvalidParameterException', 'The body is not JSON.');
    reply(response, 400, { __type: failure.type, message: failure.message });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify(body));
}

export { startCloudWatchLogsStandIn };
export type {
  CannedQuery,
  CloudWatchLogsStandIn,
  CloudWatchLogsStandInOptions,
  QueryDefinition,
  QueryStatus,
  ResultRow,
  StartedQuery,
};
