import type { JWTPayload } from 'jose';
import { StsError } from './errors.js';
import { nameProblems } from './request.js';
import type { SessionTag } from './session-policy.js';

/** The claim an IdP uses to pass session tags through AssumeRoleWithWebIdentity. */
const TAGS_CLAIM = 'https://aws.amazon.com/tags';

/** The claim an IdP uses to set the session's source identity. */
const SOURCE_IDENTITY_CLAIM = 'https://aws.amazon.com/source_identity';

/** STS's session tag limits. */
const TAG_LIMITS = { count: 50, keyMax: 128, valueMax: 256 } as const;

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Session tags and source identity the token asks for, already checked against STS's rules. */
interface SessionClaims {
  readonly tags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
  readonly sourceIdentity: string | undefined;
}

/**
 * Reads the session tag and source identity claims. A malformed claim is the
 * identity provider's fault, so it is refused as IDPRejectedClaim rather than
 * as a caller validation error.
 */
function readSessionClaims(claims: JWTPayload): SessionClaims {
  const { tags, transitiveTagKeys } = readTags(claims[TAGS_CLAIM]);
  return { tags, transitiveTagKeys, sourceIdentity: readSourceIdentity(claims) };
}

function readTags(claim: unknown): Pick<SessionClaims, 'tags' | 'transitiveTagKeys'> {
  if (claim === undefined) return { tags: [], transitiveTagKeys: [] };
  if (!isObject(claim) || !isObject(claim['principal_tags'])) {
    throw rejected(`The ${TAGS_CLAIM} claim must be an object with a principal_tags object.`);
  }

  const tags: SessionTag[] = [];
  const seen = new Set<string>();
  for (const [key, raw] of Object.entries(claim['principal_tags'])) {
    const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
    if (typeof value !== 'string') {
      throw rejected(`Session tag ${quote(key)} must have exactly one string value.`);
    }
    checkTag(key, value);
    // Tag keys are unique regardless of case, as IAM treats them.
    if (seen.has(key.toLowerCase())) throw rejected(`Session tag ${quote(key)} repeats.`);
    seen.add(key.toLowerCase());
    tags.push({ key, value });
  }
  if (tags.length > TAG_LIMITS.count) {
    throw rejected(`The token carries ${tags.length} session tags; at most 50 are allowed.`);
  }

  const transitive = claim['transitive_tag_keys'] ?? [];
  if (!Array.isArray(transitive) || !transitive.every((key) => typeof key === 'string')) {
    throw rejected('transitive_tag_keys must be a list of tag keys.');
  }
  for (const key of transitive) {
    if (!seen.has(key.toLowerCase())) {
      throw rejected(`Transitive tag key ${quote(key)} names no session tag.`);
    }
  }
  return { tags, transitiveTagKeys: transitive };
}

function checkTag(key: string, value: string): void {
  if (key.length < 1 || key.length > TAG_LIMITS.keyMax || !TAG_CHARS.test(key)) {
    throw rejected(
      `Session tag key ${quote(key)} must be 1-128 letters, digits, spaces or _.:/=+-@.`,
    );
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw rejected(`Session tag key ${quote(key)} uses the reserved aws: prefix.`);
  }
  if (value.length > TAG_LIMITS.valueMax || !TAG_CHARS.test(value)) {
    throw rejected(
      `The value of session tag ${quote(key)} must be 0-256 letters, digits, spaces or _.:/=+-@.`,
    );
  }
}

function readSourceIdentity(claims: JWTPayload): string | undefined {
  const value = claims[SOURCE_IDENTITY_CLAIM];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw rejected(`The ${SOURCE_IDENTITY_CLAIM} claim must be a string.`);
  }
  const problems = nameProblems(value, 'sourceIdentity');
  if (problems.length > 0) {
    throw rejected(`The ${SOURCE_IDENTITY_CLAIM} claim is invalid: ${problems.join('; ')}`);
  }
  if (value.toLowerCase().startsWith('aws:')) {
    throw rejected(`The source identity ${quote(value)} uses the reserved aws: prefix.`);
  }
  return value;
}

function rejected(message: string): StsError {
  return new StsError('IDPRejectedClaim', message);
}

function quote(value: string): string {
  return JSON.stringify(value.slice(0, 130));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { SOURCE_IDENTITY_CLAIM, TAGS_CLAIM, readSessionClaims };
export type { SessionClaims };
