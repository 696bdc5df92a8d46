/**
 * The STS error codes the stand-in answers with, each with the HTTP status and
 * fault type real STS pairs it with. Status is decided here and nowhere else.
 */
const STS_ERRORS = {
  ValidationError: { status: 400, type: 'Sender' },
  InvalidAction: { status: 400, type: 'Sender' },
  MalformedPolicyDocument: { status: 400, type: 'Sender' },
  PackedPolicyTooLarge: { status: 400, type: 'Sender' },
  InvalidIdentityToken: { status: 400, type: 'Sender' },
  ExpiredTokenException: { status: 400, type: 'Sender' },
  IDPCommunicationError: { status: 400, type: 'Sender' },
  IDPRejectedClaim: { status: 403, type: 'Sender' },
  AccessDenied: { status: 403, type: 'Sender' },
  InternalFailure: { status: 500, type: 'Receiver' },
} as const;

/** A code from {@link STS_ERRORS}. */
type StsErrorCode = keyof typeof STS_ERRORS;

/**
 * A refusal the stand-in renders as an STS `ErrorResponse`. Faults injected by
 * tests may carry any code and status, so both stay open strings here.
 */
class StsError extends Error {
  override readonly name = 'StsError';
  readonly code: string;
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';

  constructor(code: string, message: string, options?: { status?: number; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const known = STS_ERRORS[code as StsErrorCode];
    this.code = code;
    this.status = options?.status ?? known?.status ?? 400;
    this.type = known?.type ?? (this.status >= 500 ? 'Receiver' : 'Sender');
  }
}

/** Shorthand for the refusal STS gives for an unknown role or a trust policy that says no. */
function accessDenied(): StsError {
  return new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
}

export { STS_ERRORS, StsError, accessDenied };
export type { StsErrorCode };
