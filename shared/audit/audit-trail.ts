import type { Logger } from '@aws-lambda-powertools/logger';
import type { ErrorCode } from '../errors/codes.js';
import type { Caller } from '../identity/caller.js';
import { recordOutcome } from '../telemetry/metrics.js';
import type { AuditEvent, AuditFields } from './audit-event.js';
import { logSafe } from './log-safe.js';

/**
 * Collects what one request learns (who called, what was granted, what STS
 * answered) and writes exactly one audit event when the request ends,
 * whatever way it ends.
 */
class AuditTrail {
  readonly #fields: AuditFields;
  readonly #route: string;
  readonly #startedAt = performance.now();
  #written = false;

  constructor(route: string, fields: AuditFields) {
    this.#route = route;
    this.#fields = { ...fields };
  }

  /** Records the verified caller (identity and display hints only). */
  caller(caller: Caller): void {
    this.record({
      tid: caller.tenantId,
      oid: caller.objectId,
      principal_type: caller.principalType,
      display_name: logSafe(caller.displayName),
      app_id: caller.appId,
      token_version: caller.tokenVersion,
    });
  }

  record(fields: AuditFields): void {
    Object.assign(this.#fields, fields);
  }

  /** Writes the event; later calls do nothing, so one request logs once. */
  write(logger: Logger, status: number, code: ErrorCode | 'ok',
    success: string): AuditEvent | undefined {
    if (this.#written) return undefined;
    this.#written = true;

    const outcome = status < 400 ? success : status < 500 ? 'denied' : 'error';
    const event: AuditEvent = {
      event: `${this.#route}.${outcome}`,
      reason_code: code,
      status,
      route: this.#route,
      request_id: this.#fields.request_id ?? '',
      source_ip: this.#fields.source_ip,
      user_agent: this.#fields.user_agent,
      ...this.#fields,
      duration_ms: Math.round(performance.now() - this.#startedAt),
    };
    logger.info({ message: event.event, ...event });
    recordOutcome(event);
    return event;
  }
}

export { AuditTrail };
