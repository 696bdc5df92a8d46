import { DescribeQueryDefinitionsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type {
  CloudWatchLogsClient,
  QueryDefinition,
} from '@aws-sdk/client-cloudwatch-logs';
import { AuditFailure } from './audit-failure.js';
import { sdkFailure } from './sdk-failure.js';

/** A saved query of one stage, as deployed from ops/audit-queries.yml. */
interface SavedQuery {
  /** The short name after `aurora-aad/{stage}/`, e.g. "caller-volume". */
  name: string;
  queryString: string;
  logGroupNames: string[];
}

/**
 * The saved queries deployed for `stage`, read from CloudWatch Logs rather
 * than from files: the command runs exactly what the stack holds, and
 * needs nothing but the AWS credentials an auditor already has.
 */
async function listSavedQueries(client: CloudWatchLogsClient,
  stage: string): Promise<SavedQuery[]> {
  const prefix = `aurora-aad/${stage}/`;
  const found: QueryDefinition[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeQueryDefinitionsCommand({
      queryDefinitionNamePrefix: prefix,
      maxResults: 1000,
      nextToken,
    })).catch((error: unknown) => {
      throw sdkFailure(error, 'DescribeQueryDefinitions');
    });
    found.push(...page.queryDefinitions ?? []);
    nextToken = page.nextToken;
  } while (nextToken);

  return found
    .filter((definition) => definition.name?.startsWith(prefix))
    .map((definition) => ({
      name: (definition.name ?? '').slice(prefix.length),
      queryString: definition.queryString ?? '',
      logGroupNames: definition.logGroupNames ?? [],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The saved query `name` of `stage`, or query_not_found listing the others. */
async function findSavedQuery(client: CloudWatchLogsClient, stage: string,
  name: string): Promise<SavedQuery> {
  const queries = await listSavedQueries(client, stage);
  const query = queries.find((candidate) => candidate.name === name);
  if (!query) {
    const known = queries.map((candidate) => candidate.name).join(', ');
    throw new AuditFailure('query_not_found', `No saved query ` +
      `aurora-aad/${stage}/${name} is deployed` +
      (known ? `; stage ${stage} has: ${known}.`
        : `; is stage ${stage} deployed in this region (--stage, --region)?`));
  }
  if (query.logGroupNames.length === 0) {
    throw new AuditFailure('query_not_found', `The saved query ` +
      `aurora-aad/${stage}/${name} names no log groups; redeploy the stack.`);
  }
  return query;
}

/**
 * The query with `field = "value"` filters put in front of it, so that a
 * saved query over everyone answers for one person or one target. Values
 * were checked for quotes and line breaks when the arguments were parsed.
 */
function withFilters(queryString: string,
  where: Array<{ field: string; value: string }>): string {
  if (where.length === 0) return queryString;
  const filter = 'filter ' + where
    .map(({ field, value }) => `${field} = "${value}"`)
    .join(' and ');
  const lines = queryString.split('\n');
  const first = lines.findIndex((line) =>
    line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (first < 0) return filter;
  const command = (lines[first] ?? '').replace(/^\s*\|?\s*/, '');
  lines.splice(first, 1, filter, `| ${command}`);
  return lines.join('\n');
}

export { findSavedQuery, listSavedQueries, withFilters };
export type { SavedQuery };
