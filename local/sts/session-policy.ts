import { StsError } from './errors.js';

/**
 * The space STS gives session policies and session tags together. STS packs
 * them in a compressed binary form it does not document; the stand-in uses the
 * character count with whitespace removed, which refuses the same policies in
 * practice and is easy to reason about in tests.
 */
const PACKED_BUDGET = 2048;

/** A session tag as the token carries it. */
interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/**
 * Checks that a session policy is a JSON IAM policy document, so a caller's
 * typo fails here, as it does at STS, rather than as a baffling permission
 * error on first use of the credentials.
 */
function checkSessionPolicy(policy: string): void {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw malformed('The policy is not valid JSON.');
  }
  if (!isObject(document)) throw malformed('The policy must be a JSON object.');

  const version = document['Version'];
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') {
    throw malformed('The policy Version must be "2012-10-17" or "2008-10-17".');
  }

  const statements = document['Statement'];
  if (statements === undefined) throw malformed('The policy has no Statement.');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw malformed('The policy Statement list is empty.');
  list.forEach((statement, index) => checkStatement(statement, index));
}

function checkStatement(statement: unknown, index: number): void {
  const where = `Statement ${index + 1}`;
  if (!isObject(statement)) throw malformed(`${where} must be a JSON object.`);
  if (statement['Effect'] !== 'Allow' && statement['Effect'] !== 'Deny') {
    throw malformed(`${where} needs Effect "Allow" or "Deny".`);
  }
  if ((statement['Action'] === undefined) === (statement['NotAction'] === undefined)) {
    throw malformed(`${where} needs exactly one of Action and NotAction.`);
  }
  if ((statement['Resource'] === undefined) === (statement['NotResource'] === undefined)) {
    throw malformed(`${where} needs exactly one of Resource and NotResource.`);
  }
  if (statement['Principal'] !== undefined || statement['NotPrincipal'] !== undefined) {
    throw malformed(`${where} has a Principal, which a session policy cannot carry.`);
  }
}

/**
 * The percentage of the packed budget the policy and tags use, as STS reports
 * it in PackedPolicySize; over 100 is refused with PackedPolicyTooLarge.
 */
function packedPolicySize(policy: string | undefined, tags: readonly SessionTag[]): number {
  const policySize = policy === undefined ? 0 : policy.replace(/\s+/g, '').length;
  const tagSize = tags.reduce((sum, tag) => sum + tag.key.length + tag.value.length, 0);
  const percent = Math.ceil(((policySize + tagSize) * 100) / PACKED_BUDGET);
  if (percent > 100) {
    throw new StsError(
      'PackedPolicyTooLarge',
      `The session policy and session tags use ${percent}% of the packed size STS allows; ` +
        'send a shorter policy or fewer tags.',
    );
  }
  return percent;
}

function malformed(message: string): StsError {
  return new StsError('MalformedPolicyDocument', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { PACKED_BUDGET, checkSessionPolicy, packedPolicySize };
export type { SessionTag };
