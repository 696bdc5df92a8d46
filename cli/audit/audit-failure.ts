/**
 * Why `aurora-aad audit` stopped, as a stable code and the exit code that
 * goes with it; docs/cli.md lists both. Scripts branch on the exit code,
 * people read the code and the message on stderr.
 */
const auditExitCodes = {
  usage_error: 2,
  query_not_found: 3,
  query_failed: 4,
  query_timeout: 5,
  aws_error: 6,
} as const;

type AuditFailureCode = keyof typeof auditExitCodes;

/** A failure of the audit command with its code; `cause` keeps the SDK error. */
class AuditFailure extends Error {
  readonly code: AuditFailureCode;

  constructor(code: AuditFailureCode, message: string,
    options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AuditFailure';
    this.code = code;
  }

  get exitCode(): number {
    return auditExitCodes[this.code];
  }
}

export { AuditFailure, auditExitCodes };
export type { AuditFailureCode };
