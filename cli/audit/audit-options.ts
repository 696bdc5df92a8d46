import { parseArgs } from 'node:util';
import { auditFields } from '../../shared/audit/audit-fields.js';
import { AuditFailure } from './audit-failure.js';

/** What `aurora-aad audit` was asked to do, parsed and checked. */
interface AuditOptions {
  /** The saved query's short name, e.g. "denials-by-reason"; absent for --list. */
  query: string | undefined;
  list: boolean;
  stage: string;
  region: string | undefined;
  endpointUrl: string | undefined;
  start: Date;
  end: Date;
  /** Extra `field = "value"` filters, fields checked against the schema. */
  where: Array<{ field: string; value: string }>;
  json: boolean;
  waitSeconds: number;
}

const durationUnits: Record<string, number> = {
  s: 1, m: 60, h: 3600, d: 86_400, w: 604_800,
};

// Values are quoted into the query, so quotes, backslashes and line breaks
// are refused rather than escaped.
const plainValue = /^[^"\\\r\n]{1,256}$/;

/**
 * Parses the command's arguments. Times are `--since 24h` (s, m, h, d, w)
 * or an ISO 8601 instant; `--until` likewise, default now. A wrong
 * argument is a usage_error naming the argument.
 */
function parseAuditOptions(args: string[], now: Date,
  env: NodeJS.ProcessEnv): AuditOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        since: { type: 'string', default: '24h' },
        until: { type: 'string' },
        stage: { type: 'string' },
        region: { type: 'string' },
        'endpoint-url': { type: 'string' },
        where: { type: 'string', multiple: true, default: [] },
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        wait: { type: 'string', default: '300s' },
      },
    });
  } catch (error) {
    throw new AuditFailure('usage_error', (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new AuditFailure('usage_error',
      `Name one saved query, not ${positionals.length}.`);
  }
  const query = positionals[0];
  if (!query && !values.list) {
    throw new AuditFailure('usage_error',
      'Name a saved query, or use --list to see them.');
  }
  if (query && !/^[a-z0-9][a-z0-9-]{0,99}$/.test(query)) {
    throw new AuditFailure('usage_error',
      `"${query}" is not a saved query name (lowercase words and dashes).`);
  }

  const end = values.until ? instant('--until', values.until, now) : now;
  const start = instant('--since', values.since, end);
  if (start >= end) {
    throw new AuditFailure('usage_error', '--since must be before --until.');
  }

  return {
    query,
    list: values.list,
    stage: values.stage ?? env.AURORA_AAD_STAGE ?? 'prod',
    region: values.region,
    endpointUrl: values['endpoint-url'],
    start,
    end,
    where: values.where.map(whereFilter),
    json: values.json,
    waitSeconds: durationSeconds('--wait', values.wait),
  };
}

// A duration counts back from `from`; anything else must be an ISO instant.
function instant(name: string, text: string, from: Date): Date {
  if (/^\d+[smhdw]$/.test(text)) {
    return new Date(from.getTime() - durationSeconds(name, text) * 1000);
  }
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new AuditFailure('usage_error', `${name} takes a duration such ` +
      `as 24h or 7d, or an ISO 8601 time, not "${text}".`);
  }
  return date;
}

function durationSeconds(name: string, text: string): number {
  const match = /^(\d+)([smhdw])$/.exec(text);
  const seconds = match ? Number(match[1]) * (durationUnits[match[2] ?? ''] ?? 0)
    : 0;
  if (seconds <= 0) {
    throw new AuditFailure('usage_error', `${name} takes a duration such as ` +
      `90s, 30m, 24h or 7d, not "${text}".`);
  }
  return seconds;
}

function whereFilter(text: string): { field: string; value: string } {
  const separator = text.indexOf('=');
  const field = text.slice(0, separator);
  const value = text.slice(separator + 1);
  if (separator < 1 || !Object.hasOwn(auditFields, field)) {
    throw new AuditFailure('usage_error', `--where takes field=value with ` +
      `an audit event field (docs/audit.md), not "${text}".`);
  }
  if (!plainValue.test(value)) {
    throw new AuditFailure('usage_error', `The value of --where ${field} ` +
      'must be 1-256 characters without quotes, backslashes or line breaks.');
  }
  return { field, value };
}

export { parseAuditOptions };
export type { AuditOptions };
