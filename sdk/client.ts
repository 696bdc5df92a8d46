/**
 * The typed client for the aurora-aad API. Paths, request bodies and
 * responses are the generated types of openapi.yaml (sdk/api-types.ts), used
 * through openapi-fetch: a path, field or status the spec changes breaks this
 * file's type check before it breaks a caller.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api-types.js';
import { ApiProblemError, AuroraAadError } from './errors.js';
import { requireSecureUrl } from './secure-url.js';
import type { Problem } from './errors.js';

/** `POST /v1/credentials` body: a target and, when ambiguous, a database user. */
type CredentialRequest = components['schemas']['CredentialRequest'];
/** A database token, its timing and how to connect with it. */
type CredentialResponse = components['schemas']['CredentialResponse'];
/** Where and how to connect: endpoint, engine, region and TLS facts. */
type Connection = components['schemas']['Connection'];
/** `GET /v1/targets`: what the caller may request. */
type TargetList = components['schemas']['TargetList'];

/**
 * Where the caller's Entra access token comes from. Called before every API
 * request; sources cache and refresh on their own (sdk/token-sources.ts).
 */
type TokenSource = () => Promise<string>;

/** How to reach the API and as whom. */
interface ApiClientOptions {
  /** The API's base URL, e.g. `https://xyz.execute-api.eu-west-1.amazonaws.com`. */
  readonly baseUrl: string;
  /** The caller's Entra access token for the API. */
  readonly tokenSource: TokenSource;
  /** Replaces global fetch (tests, proxies). */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Sent as `User-Agent`, so the audit log's `user_agent` names the caller. */
  readonly userAgent?: string;
}

/** The two operations of openapi.yaml. */
interface ApiClient {
  /** `POST /v1/credentials`; throws {@link ApiProblemError} when refused. */
  issueCredentials(request: CredentialRequest): Promise<CredentialResponse>;
  /** `GET /v1/targets`; throws {@link ApiProblemError} when refused. */
  listTargets(): Promise<TargetList>;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['code'] === 'string' && typeof candidate['status'] === 'number';
}

function retryAfterOf(response: Response): number | undefined {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
}

function refusal(error: unknown, response: Response): AuroraAadError {
  if (isProblem(error)) return new ApiProblemError(error, retryAfterOf(response));
  return new AuroraAadError(
    'api_response_invalid',
    `The API answered HTTP ${response.status} without a problem document; ` +
      'check that the base URL points at the aurora-aad API.',
  );
}

/**
 * Sends one request; a network failure becomes `api_unreachable` naming the
 * URL, since that is the setting a caller most often has wrong.
 */
async function send<T>(baseUrl: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof AuroraAadError) throw error;
    throw new AuroraAadError(
      'api_unreachable',
      `Could not reach the aurora-aad API at ${baseUrl}; check the base URL and the network.`,
      { cause: error },
    );
  }
}

/**
 * Creates a client. Each call asks `tokenSource` for the Entra token first,
 * so an expired token is refreshed by the source, not by the caller.
 *
 * @example
 * const api = createApiClient({ baseUrl, tokenSource: fromEnvironment() });
 * const { targets } = await api.listTargets();
 */
function createApiClient(options: ApiClientOptions): ApiClient {
  requireSecureUrl(options.baseUrl, 'API URL');
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const http = createClient<paths>({
    baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function headers(): Promise<Record<string, string>> {
    const token = await options.tokenSource();
    return {
      authorization: `Bearer ${token}`,
      ...(options.userAgent ? { 'user-agent': options.userAgent } : {}),
    };
  }

  return {
    async issueCredentials(request) {
      const authorization = await headers();
      const { data, error, response } = await send(baseUrl, () =>
        http.POST('/v1/credentials', { body: request, headers: authorization }),
      );
      if (data !== undefined) return data;
      throw refusal(error, response);
    },
    async listTargets() {
      const authorization = await headers();
      const { data, error, response } = await send(baseUrl, () =>
        http.GET('/v1/targets', { headers: authorization }),
      );
      if (data !== undefined) return data;
      throw refusal(error, response);
    },
  };
}

export { createApiClient };
export type {
  ApiClient,
  ApiClientOptions,
  Connection,
  CredentialRequest,
  CredentialResponse,
  TargetList,
  TokenSource,
};
