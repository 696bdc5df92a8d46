/**
 * Error replies in Entra's own JSON shape. Clients and the API's upstream
 * error handling read `error`, the `AADSTS` code and the trace ids from these
 * fields, so the stand-in answers with the same ones real failures carry.
 */
import { randomUUID } from 'node:crypto';

/** The body Entra's token and discovery endpoints answer errors with. */
interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

/** An HTTP status with the Entra-shaped body that goes with it. */
interface EntraErrorReply {
  readonly status: number;
  readonly body: EntraErrorBody;
}

/** What a single failure is, in Entra's terms. */
interface EntraFailure {
  readonly status: number;
  /** OAuth error, e.g. `invalid_client`. */
  readonly error: string;
  /** The number after `AADSTS`, e.g. 7000215. */
  readonly code: number;
  readonly message: string;
}

/** `2024-05-01 09:30:00Z`: Entra's timestamp format in error bodies. */
function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/**
 * Builds the reply for a failure. A caller's `client-request-id` becomes the
 * correlation id, as Entra echoes it; otherwise a fresh one is made.
 */
function entraError(failure: EntraFailure, correlationId?: string): EntraErrorReply {
  const timestamp = entraTimestamp(new Date());
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const description =
    `AADSTS${failure.code}: ${failure.message}\r\n` +
    `Trace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`;

  return {
    status: failure.status,
    body: {
      error: failure.error,
      error_description: description,
      error_codes: [failure.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
    },
  };
}

/** AADSTS90002, what every Entra endpoint answers for a tenant it lacks. */
function tenantNotFound(segment: string): EntraFailure {
  return {
    status: 400,
    error: 'invalid_tenant',
    code: 90002,
    message:
      `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID ` +
      'and are signing into the correct cloud.',
  };
}

export { entraError, entraTimestamp, tenantNotFound };
export type { EntraErrorBody, EntraErrorReply, EntraFailure };
