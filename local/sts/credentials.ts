import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Temporary credentials in the shape STS returns them. */
interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** ISO-8601 UTC without milliseconds, as STS writes it. */
  readonly expiration: string;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Mints a fresh set of temporary credentials that look like STS's: an `ASIA`
 * access key id, a 40-character secret and an opaque session token. They sign
 * requests correctly with SigV4 but no AWS service would accept them.
 */
function mintCredentials(issuedAt: Date, durationSeconds: number): TemporaryCredentials {
  const seconds = Math.floor(issuedAt.getTime() / 1000) + durationSeconds;
  return {
    accessKeyId: `ASIA${randomString(UPPER_ALNUM, 16)}`,
    secretAccessKey: randomString(SECRET_CHARS, 40),
    sessionToken: `FwoGZXIvYXdzE${randomBytes(300).toString('base64')}`,
    expiration: isoSeconds(new Date(seconds * 1000)),
  };
}

/**
 * A role's unique id (`AROA` and 17 characters). Derived from the role's ARN so
 * it stays the same across restarts, as a real role's id does for its lifetime.
 */
function roleId(roleArn: string): string {
  const digest = createHash('sha256').update(roleArn).digest();
  const suffix = Array.from(digest.subarray(0, 17), (byte) => UPPER_ALNUM[byte % 36]).join('');
  return `AROA${suffix}`;
}

/** ISO-8601 in UTC with whole seconds, the form STS uses for Expiration. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let index = 0; index < length; index += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export { isoSeconds, mintCredentials, roleId };
export type { TemporaryCredentials };
