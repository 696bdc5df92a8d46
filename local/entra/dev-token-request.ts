/**
 * What a developer may ask the stand-in for: a token for any directory user or
 * app, in either version, including the shapes a verifier must refuse. One
 * schema serves `POST /_dev/token`, `issueToken()` and the CLI, so a request
 * means the same thing whichever way it arrives.
 */
import { z } from 'zod';

const FORGERIES = [
  'alg-none',
  'hs256-public-key',
  'unknown-kid',
  'bad-signature',
  'id-token',
  'graph-nonce',
] as const;

/** A way to make a token that a correct verifier refuses. */
type Forgery = (typeof FORGERIES)[number];

const devTokenRequestSchema = z
  .strictObject({
    user: z.string().min(1).optional(),
    app: z.string().min(1).optional(),
    version: z.union([z.literal(1), z.literal(2)]).optional(),
    audience: z.string().min(1).optional(),
    scope: z.string().optional(),
    roles: z.array(z.string().min(1)).optional(),
    lifetimeSeconds: z.int().min(1).max(86_400).optional(),
    notBeforeOffsetSeconds: z.int().min(-86_400).max(86_400).optional(),
    expired: z.boolean().optional(),
    forge: z.enum(FORGERIES).optional(),
    extraClaims: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((request) => (request.user === undefined) !== (request.app === undefined), {
    message: 'name exactly one of "user" or "app"',
  });

/**
 * A token request in directory terms.
 *
 * - `user` / `app`: a directory name; exactly one.
 * - `version`: access-token version, default 2.
 * - `audience`: default the API's client id (v2) or App ID URI (v1).
 * - `scope`: replaces `scp`; `""` leaves `scp` out. Users default to the API's
 *   scope; apps never get one unless asked.
 * - `roles`: replaces `roles`; `[]` leaves it out.
 * - `lifetimeSeconds`: default 3600. `notBeforeOffsetSeconds`: moves `nbf`.
 * - `expired`: puts both `nbf` and `exp` in the past.
 * - `forge`: makes a token a correct verifier refuses (see {@link Forgery}).
 * - `extraClaims`: merged last; a `null` value removes that claim.
 */
type DevTokenRequest = z.input<typeof devTokenRequestSchema>;

/** A request that names nobody, names two principals or has a wrong field. */
class DevTokenRequestError extends Error {
  override readonly name = 'DevTokenRequestError';
  readonly code = 'invalid_request';
}

/** Checks a request from any source; throws {@link DevTokenRequestError}. */
function parseDevTokenRequest(input: unknown): DevTokenRequest {
  const parsed = devTokenRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    return where === '' ? issue.message : `${where}: ${issue.message}`;
  });
  throw new DevTokenRequestError(`Bad token request: ${details.join('; ')}.`);
}

export { DevTokenRequestError, FORGERIES, parseDevTokenRequest };
export type { DevTokenRequest, Forgery };
