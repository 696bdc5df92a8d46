import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ApiError } from '../errors/api-error.js';
import { problemResponse } from '../http/problem.js';
import type { Runtime } from '../runtime.js';
import { discoveryDocument, jwksDocument } from './oidc-documents.js';

const paths = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/jwks.json',
};

/**
 * GET /.well-known/openid-configuration and /.well-known/jwks.json: the
 * broker's OIDC metadata, which IAM reads to verify the tokens the broker
 * passes to STS. Public and cacheable; answers 404 outside broker mode.
 */
async function oidcDocument(
  runtime: Runtime,
  path: string,
  requestId: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  try {
    if (runtime.signingKeys.length === 0 ||
      (path !== paths.discovery && path !== paths.jwks)) {
      throw new ApiError('not_found',
        'The broker publishes OIDC metadata only in broker mode ' +
          '(WEB_IDENTITY_MODE=broker).');
    }
    const body = path === paths.discovery
      ? discoveryDocument(runtime.settings.broker.issuer)
      : await jwksDocument(runtime.signingKeys);
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'public, max-age=300',
      },
      body: JSON.stringify(body),
    };
  } catch (error) {
    return problemResponse(keyReadFailure(error, runtime), requestId);
  }
}

function keyReadFailure(error: unknown, runtime: Runtime): ApiError {
  if (error instanceof ApiError) return error;
  runtime.logger.error('The broker public keys could not be read', {
    error_name: (error as Error).name,
    error_message: (error as Error).message,
  });
  return new ApiError('broker_key_unavailable',
    'The broker public keys could not be read from KMS: check ' +
      'BROKER_KMS_KEY_IDS and the function\'s kms:GetPublicKey permission.',
    { cause: error });
}

export { oidcDocument };
