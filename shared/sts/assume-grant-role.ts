import { AssumeRoleWithWebIdentityCommand } from '@aws-sdk/client-sts';
import type { STSClient } from '@aws-sdk/client-sts';
import { ApiError } from '../errors/api-error.js';
import { timeStsCall } from '../telemetry/upstream-metrics.js';
import type { WebIdentity } from '../broker/web-identity-source.js';
import type { Grant } from '../grants/grants-for.js';
import { sessionPolicy } from './session-policy.js';

/** Temporary credentials for one granted role, narrowed to one db user. */
interface AssumedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  stsRequestId: string | undefined;
}

// The shortest session STS allows: an RDS token lives 15 minutes anyway.
const sessionSeconds = 900;

/**
 * Assumes the grant's role with `AssumeRoleWithWebIdentity`, for the
 * shortest duration and with a session policy that allows only
 * `rds-db:connect` as the granted database user.
 *
 * The SDK client retries throttling and transient failures itself; what
 * still fails is mapped to a stable API error: STS refusing because of
 * configuration is a 502 naming what to check, STS being unreachable or
 * throttling is a 503.
 */
async function assumeGrantRole(
  sts: STSClient,
  identity: WebIdentity,
  grant: Grant,
  sessionName: string,
): Promise<AssumedSession> {
  const command = new AssumeRoleWithWebIdentityCommand({
    RoleArn: grant.roleArn,
    RoleSessionName: sessionName,
    WebIdentityToken: identity.token,
    DurationSeconds: sessionSeconds,
    Policy: sessionPolicy(grant.target, grant.dbUser),
  });

  let answer;
  try {
    answer = await timeStsCall(() => sts.send(command));
  } catch (error) {
    throw stsError(error, grant.roleArn, identity.jti !== undefined);
  }

  const credentials = answer.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey ||
    !credentials.SessionToken || !credentials.Expiration) {
    throw new ApiError(
      'internal_error',
      `STS answered without credentials for role ${grant.roleArn}.`,
    );
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
    stsRequestId: answer.$metadata.requestId,
  };
}

function stsError(error: unknown, roleArn: string, brokered: boolean):
  ApiError {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const code = (failure.name ?? '').replace(/Exception$/, '');
  const status = failure.$metadata?.httpStatusCode;
  const options = { cause: error, extensions: { stsErrorCode: code || undefined } };

  switch (code) {
    case 'ExpiredToken':
      // The broker's own token, minted a moment ago: a clock or setting
      // problem here, not the caller's.
      if (brokered) {
        return new ApiError(
          'sts_token_rejected',
          'STS found the broker\'s web identity token expired: check the ' +
            'function clock and BROKER_TOKEN_LIFETIME_SECONDS.',
          options,
        );
      }
      return new ApiError(
        'token_expired',
        'STS found the token expired; get a new one.',
        options,
      );
    case 'AccessDenied':
      return new ApiError(
        'sts_access_denied',
        `STS refused to assume ${roleArn}: check that role's trust policy ` +
          '(federated principal and aud/sub conditions).',
        options,
      );
    case 'InvalidIdentityToken':
    case 'IDPRejectedClaim':
      return new ApiError(
        'sts_token_rejected',
        `STS rejected the web identity token for ${roleArn}: check the IAM ` +
          'OIDC provider (issuer URL and client id list) in that account.',
        options,
      );
    case 'MalformedPolicyDocument':
    case 'PackedPolicyTooLarge':
      return new ApiError(
        'sts_policy_rejected',
        `STS rejected the session policy for ${roleArn}: check the ` +
          'target\'s account, region and clusterResourceId in the mapping.',
        options,
      );
    case 'RegionDisabled':
      return new ApiError(
        'sts_access_denied',
        'STS is not activated in this function\'s region: activate it in ' +
          'the account settings of IAM.',
        options,
      );
  }
  if (code === 'IDPCommunicationError' || isThrottling(code) ||
    status === undefined || status >= 500) {
    return new ApiError(
      'sts_unavailable',
      'STS is unreachable or throttling; try again shortly.',
      options,
    );
  }
  return new ApiError(
    'internal_error',
    `STS answered ${code || 'an unexpected error'} for ${roleArn}.`,
    options,
  );
}

function isThrottling(code: string): boolean {
  return ['Throttling', 'ThrottlingException', 'TooManyRequests',
    'RequestLimitExceeded', 'RequestThrottled'].includes(code);
}

export { assumeGrantRole, sessionSeconds };
export type { AssumedSession };
