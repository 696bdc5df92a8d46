import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { oidcDocument } from '../shared/broker/oidc-route.js';
import { createRuntime } from '../shared/runtime.js';

const runtime = createRuntime();

/** GET /.well-known/openid-configuration and GET /.well-known/jwks.json */
async function handler(event: APIGatewayProxyEventV2) {
  return oidcDocument(runtime, event.rawPath,
    event.requestContext?.requestId ?? '');
}

export { handler };
