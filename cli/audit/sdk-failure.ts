import { AuditFailure } from './audit-failure.js';

/**
 * An AWS SDK error as an AuditFailure: a query the service rejects is
 * query_failed; everything else (credentials, permissions, network,
 * throttling) is aws_error, with the SDK's error name and the operation,
 * which is what a person needs to fix their profile or policy.
 */
function sdkFailure(error: unknown, operation: string): AuditFailure {
  const name = (error as { name?: string } | null)?.name ?? 'Error';
  const message = (error as { message?: string } | null)?.message ?? '';
  if (name === 'MalformedQueryException') {
    return new AuditFailure('query_failed',
      `CloudWatch Logs rejected the query: ${message}`, { cause: error });
  }
  const hint = /Credential|ExpiredToken|UnrecognizedClient/.test(name)
    ? ' Check your AWS credentials (AWS_PROFILE, aws sso login).'
    : name === 'AccessDeniedException'
      ? ` Your identity needs logs:${operation}.`
      : '';
  return new AuditFailure('aws_error',
    `${operation} failed: ${name}: ${message.replace(/\.?$/, '.')}${hint}`,
    { cause: error });
}

export { sdkFailure };
