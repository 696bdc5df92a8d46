import * as z from 'zod';
import { ApiError } from '../errors/api-error.js';

const credentialRequestSchema = z.strictObject({
  target: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  dbUser: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/).optional(),
});

/** The body of POST /v1/credentials. */
type CredentialRequest = z.infer<typeof credentialRequestSchema>;

/** Validates a parsed JSON body, naming the first field that is wrong. */
function parseCredentialRequest(body: unknown): CredentialRequest {
  const parsed = credentialRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  const reason = issue?.code === 'unrecognized_keys'
    ? 'has fields this API does not know'
    : 'is missing or not in the expected form';
  throw new ApiError(
    'request_body_invalid',
    `${field} ${reason}: send {"target": "<name>", "dbUser": "<user>"} ` +
      '(dbUser optional).',
  );
}

export { parseCredentialRequest };
export type { CredentialRequest };
