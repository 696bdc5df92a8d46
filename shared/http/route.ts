import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { AuditTrail } from '../audit/audit-trail.js';
import { fingerprintToken } from '../audit/audit-event.js';
import { logSafe } from '../audit/log-safe.js';
import { unverifiedTokenHints } from '../audit/unverified-hints.js';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';
import { problemResponse } from './problem.js';
import { metrics } from '../telemetry/metrics.js';

/** What a route's handler gets: the parsed body, the token, the trail. */
interface RouteRequest {
  body: unknown;
  token: string;
  audit: AuditTrail;
}

interface RouteOptions {
  /** Names the route in audit events: `{name}.{success|denied|error}`. */
  name: string;
  /** The audit outcome of a 2xx, e.g. "issued" or "listed". */
  success: string;
  /** Whether the route takes a JSON body. */
  jsonBody: boolean;
  logger: Logger;
  fingerprintKey: string;
  handle: (request: RouteRequest) => Promise<unknown>;
}

type RouteContext = Context & { audit: AuditTrail; bearer: string };

// A credential request is a few dozen bytes; far more is not one.
const maxBodyBytes = 8 * 1024;

/**
 * Wraps a route's domain function as an API Gateway (HTTP API, payload 2.0)
 * handler: header normalisation, the bearer token (before anything looks
 * at the body, so a caller without one learns nothing but that), body
 * limits and JSON parsing, the problem+json rendering of every error, and
 * exactly one audit event per request.
 */
function httpRoute(options: RouteOptions) {
  const handler = middy<APIGatewayProxyEventV2,
    APIGatewayProxyStructuredResultV2, Error, RouteContext>()
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(answersAndAudit(options))
    .use(httpHeaderNormalizer())
    .use(bearer(options.fingerprintKey));
  if (options.jsonBody) handler.use(bodyLimit()).use(httpJsonBodyParser());

  return handler.handler(async (event, context) => {
    const body = await options.handle({
      body: event.body,
      token: context.bearer,
      audit: context.audit,
    });
    return {
      statusCode: 200,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      },
      body: JSON.stringify(body),
    };
  });
}

type Request = middy.Request<APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2, Error, RouteContext>;

function answersAndAudit(options: RouteOptions): middy.MiddlewareObj<
  APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error,
  RouteContext> {
  return {
    before: (request: Request) => {
      const http = request.event.requestContext?.http;
      const headers = request.event.headers ?? {};
      request.context.audit = new AuditTrail(options.name, {
        request_id: request.event.requestContext?.requestId ?? '',
        source_ip: http?.sourceIp,
        user_agent: logSafe(headers['user-agent'] ?? headers['User-Agent']),
      });
    },
    after: (request: Request) => {
      request.context.audit.write(options.logger, 200, 'ok', options.success);
    },
    onError: (request: Request) => {
      const error = asApiError(request.error, options.logger);
      const requestId = request.event.requestContext?.requestId ?? '';
      request.response = problemResponse(error, requestId);
      request.context.audit?.record({
        ...(error.extensions.stsErrorCode
          ? { sts_error_code: String(error.extensions.stsErrorCode) }
          : {}),
        ...unverifiedTokenHints(error.code,
          request.event.headers?.authorization),
      });
      request.context.audit?.write(
        options.logger,
        request.response.statusCode ?? 500,
        error.code,
        options.success,
      );
    },
  };
}

// Errors from Middy's parsers carry a statusCode; anything else that is not
// an ApiError is a defect, logged by name and message only (a cause may
// hold the request body).
function asApiError(error: unknown, logger: Logger): ApiError {
  if (error instanceof ApiError) return error;
  const status = (error as { statusCode?: number } | null)?.statusCode;
  if (status === 415) {
    return new ApiError('unsupported_media_type',
      'Send the request body as application/json.');
  }
  if (status === 413) {
    return new ApiError('request_too_large',
      `The request body must be at most ${maxBodyBytes} bytes.`);
  }
  if (status === 400 || status === 422) {
    return new ApiError('request_body_invalid',
      'The request body is not valid JSON.');
  }
  const failure = error as Error | undefined;
  logger.error('Unexpected error', {
    error_name: failure?.name,
    error_message: failure?.message,
    stack: failure?.stack,
  });
  return new ApiError('internal_error',
    'The request failed unexpectedly; quote the requestId when reporting it.');
}

// Takes the bearer token from the (normalised) headers and names it in the
// audit event by its fingerprint only.
function bearer(fingerprintKey: string): middy.MiddlewareObj<
  APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error,
  RouteContext> {
  return {
    before: (request: Request) => {
      const token = bearerToken(request.event.headers);
      request.context.bearer = token;
      request.context.audit.record({
        token_fingerprint: fingerprintToken(fingerprintKey, token),
      });
    },
  };
}

function bodyLimit(): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: (request) => {
      const { body, isBase64Encoded } = request.event;
      const bytes = body === undefined || body === null ? 0
        : isBase64Encoded ? Math.floor(body.length * 3 / 4)
        : Buffer.byteLength(body);
      if (bytes > maxBodyBytes) {
        throw new ApiError('request_too_large',
          `The request body must be at most ${maxBodyBytes} bytes.`);
      }
    },
  };
}

export { httpRoute };
export type { RouteRequest };
