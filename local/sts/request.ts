import { StsError } from './errors.js';

/** The API version every STS query request names. */
const STS_VERSION = '2011-06-15';

/** The one action the stand-in serves. */
const ACTION = 'AssumeRoleWithWebIdentity';

/** STS's own limits on AssumeRoleWithWebIdentity's parameters. */
const LIMITS = {
  durationMin: 900,
  durationMax: 43200,
  durationDefault: 3600,
  tokenMin: 4,
  tokenMax: 20000,
  roleArnMin: 20,
  roleArnMax: 2048,
  sessionNameMin: 2,
  sessionNameMax: 64,
  providerIdMin: 4,
  providerIdMax: 2048,
} as const;

/** `[\w+=,.@-]` as STS means it: ASCII letters, digits and `_+=,.@-`. */
const NAME_CHARS = /^[A-Za-z0-9_+=,.@-]*$/;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\x21-\x7e]*\/)?[A-Za-z0-9_+=,.@-]+$/;

/** Characters STS accepts in a session policy: tab, newline, CR and U+0020 to U+00FF. */
const POLICY_CHARS = /^[\t\n\r\u0020-\u00ff]*$/;

/** A validated AssumeRoleWithWebIdentity request, before any token or IAM check. */
interface AssumeRequest {
  readonly roleArn: string;
  readonly roleAccount: string;
  readonly roleSessionName: string;
  readonly webIdentityToken: string;
  /** As passed; `undefined` means STS's default of one hour. */
  readonly durationSeconds: number | undefined;
  readonly policy: string | undefined;
  readonly providerId: string | undefined;
}

/**
 * Checks the action and version a query request names, so other STS actions
 * get the same InvalidAction answer a wrong action name would.
 */
function checkAction(params: URLSearchParams): void {
  const action = params.get('Action');
  const version = params.get('Version');
  if (action !== ACTION) {
    throw new StsError(
      'InvalidAction',
      action === null
        ? 'The request names no Action; this endpoint serves AssumeRoleWithWebIdentity.'
        : `Could not find operation ${action} for version ${version ?? '(none)'}: ` +
          'this endpoint serves AssumeRoleWithWebIdentity only.',
    );
  }
  if (version !== STS_VERSION) {
    throw new StsError(
      'InvalidAction',
      `Could not find operation ${action} for version ${version ?? '(none)'}; ` +
        `use Version=${STS_VERSION}.`,
    );
  }
}

/**
 * Validates the parameters with STS's constraints and reports every violation
 * at once, the way STS's "N validation errors detected" message does. The token
 * and the policy are never echoed back.
 */
function parseAssumeRequest(params: URLSearchParams): AssumeRequest {
  const problems: string[] = [];
  const roleArn = params.get('RoleArn');
  const roleSessionName = params.get('RoleSessionName');
  const token = params.get('WebIdentityToken');
  const duration = params.get('DurationSeconds');
  const policy = params.get('Policy');
  const providerId = params.get('ProviderId');

  if (roleArn === null) problems.push(missing('roleArn'));
  else if (roleArn.length < LIMITS.roleArnMin || roleArn.length > LIMITS.roleArnMax) {
    problems.push(
      `Value '${roleArn.slice(0, 80)}' at 'roleArn' failed to satisfy constraint: ` +
        `Member must have length between ${LIMITS.roleArnMin} and ${LIMITS.roleArnMax}`,
    );
  }

  if (roleSessionName === null) problems.push(missing('roleSessionName'));
  else problems.push(...nameProblems(roleSessionName, 'roleSessionName'));

  if (token === null) problems.push(missing('webIdentityToken'));
  else if (token.length < LIMITS.tokenMin || token.length > LIMITS.tokenMax) {
    problems.push(
      "Value at 'webIdentityToken' failed to satisfy constraint: Member must have length " +
        `between ${LIMITS.tokenMin} and ${LIMITS.tokenMax}`,
    );
  }

  let durationSeconds: number | undefined;
  if (duration !== null) {
    durationSeconds = /^-?\d{1,10}$/.test(duration) ? Number(duration) : Number.NaN;
    if (Number.isNaN(durationSeconds)) {
      problems.push(
        `Value '${duration.slice(0, 20)}' at 'durationSeconds' failed to satisfy constraint: ` +
          'Member must be an integer',
      );
    } else if (durationSeconds < LIMITS.durationMin) {
      problems.push(
        `Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: ` +
          `Member must have value greater than or equal to ${LIMITS.durationMin}`,
      );
    } else if (durationSeconds > LIMITS.durationMax) {
      problems.push(
        `Value '${durationSeconds}' at 'durationSeconds' failed to satisfy constraint: ` +
          `Member must have value less than or equal to ${LIMITS.durationMax}`,
      );
    }
  }

  if (policy !== null && (policy.length < 1 || !POLICY_CHARS.test(policy))) {
    problems.push(
      "Value at 'policy' failed to satisfy constraint: Member must have length greater than " +
        'or equal to 1 and contain only tab, newline, carriage return and U+0020 to U+00FF',
    );
  }

  if (
    providerId !== null &&
    (providerId.length < LIMITS.providerIdMin || providerId.length > LIMITS.providerIdMax)
  ) {
    problems.push(
      "Value at 'providerId' failed to satisfy constraint: Member must have length " +
        `between ${LIMITS.providerIdMin} and ${LIMITS.providerIdMax}`,
    );
  }

  if (problems.length > 0) {
    const count = problems.length;
    throw new StsError(
      'ValidationError',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    );
  }

  // Only reached with every required parameter present and within limits.
  const arnMatch = ROLE_ARN.exec(roleArn as string);
  if (!arnMatch) throw new StsError('ValidationError', 'Request ARN is invalid');

  return {
    roleArn: roleArn as string,
    roleAccount: arnMatch[1] as string,
    roleSessionName: roleSessionName as string,
    webIdentityToken: token as string,
    durationSeconds,
    policy: policy ?? undefined,
    providerId: providerId ?? undefined,
  };
}

/**
 * The problems STS reports for a session name or a source identity: 2 to 64
 * characters of `[\w+=,.@-]`. The value is quoted, as STS does; it is never a secret.
 */
function nameProblems(value: string, field: string): string[] {
  const problems: string[] = [];
  const shown = value.slice(0, 80);
  if (value.length < LIMITS.sessionNameMin) {
    problems.push(
      `Value '${shown}' at '${field}' failed to satisfy constraint: ` +
        `Member must have length greater than or equal to ${LIMITS.sessionNameMin}`,
    );
  }
  if (value.length > LIMITS.sessionNameMax) {
    problems.push(
      `Value '${shown}' at '${field}' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${LIMITS.sessionNameMax}`,
    );
  }
  if (!NAME_CHARS.test(value)) {
    problems.push(
      `Value '${shown}' at '${field}' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  return problems;
}

function missing(field: string): string {
  return `Value null at '${field}' failed to satisfy constraint: Member must not be null`;
}

export { ACTION, LIMITS, STS_VERSION, checkAction, nameProblems, parseAssumeRequest };
export type { AssumeRequest };
