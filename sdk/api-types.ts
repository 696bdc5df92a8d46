// Generated from openapi.yaml by `npm run generate:sdk` (openapi-typescript).
// Do not edit: change openapi.yaml and regenerate; CI fails when they differ.

export interface paths {
    "/v1/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get a database token for a target.
         * @description Delegated (user) tokens need the configured scope in `scp`; app-only
         *     tokens need the configured app role in `roles`. The response is never
         *     cached (`Cache-Control: no-store`) and its token is never logged.
         */
        post: operations["issueCredentials"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the targets and database users the caller may request. */
        get: operations["listTargets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/openid-configuration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The broker's OpenID Connect discovery document.
         * @description In broker mode the API is an OIDC issuer: it mints the web-identity
         *     tokens it passes to STS, and IAM reads this document (and the keys at
         *     `jwks_uri`) to verify them. `issuer` equals the `iss` of every minted
         *     token exactly. Answers 404 not_found in pass-through mode.
         */
        get: operations["getOpenIdConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The broker's public signing keys.
         * @description The signing key first, then any key kept published for a rotation
         *     overlap. Answers 404 not_found in pass-through mode and 503
         *     broker_key_unavailable when KMS cannot be read.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        OpenIdConfiguration: {
            /** Format: uri */
            issuer: string;
            /** Format: uri */
            jwks_uri: string;
            id_token_signing_alg_values_supported: "RS256"[];
            response_types_supported: string[];
            subject_types_supported: string[];
            claims_supported?: string[];
        };
        Jwks: {
            keys: {
                /** @constant */
                kty: "RSA";
                n: string;
                e: string;
                kid: string;
                /** @constant */
                alg: "RS256";
                /** @constant */
                use: "sig";
            }[];
        };
        CredentialRequest: {
            /** @description A target name from the mapping (GET /v1/targets). */
            target: string;
            /** @description Required when the caller is granted several users on the target. */
            dbUser?: string;
        };
        CredentialResponse: {
            /** @description The database password, an Aurora IAM auth token (a SigV4 presigned URL). */
            token: string;
            /**
             * Format: date-time
             * @description The earlier of the token's own expiry (15 minutes after signing)
             *     and the assumed session's expiry. New connections must be opened
             *     before it; open connections are not affected.
             */
            expiresAt: string;
            /**
             * Format: date-time
             * @description When to ask for a new token (two thirds of the way to expiresAt).
             */
            refreshAfter: string;
            target: string;
            dbUser: string;
            /** @description The IAM role that was assumed. */
            roleArn: string;
            /** @description The STS RoleSessionName */
            sessionName: string;
            connection: components["schemas"]["Connection"];
        };
        Connection: {
            /** @description The cluster endpoint the token is signed for. */
            host: string;
            port: number;
            /** @enum {string} */
            engine: "postgres" | "mysql";
            database?: string;
            region: string;
            tls: {
                /** @constant */
                required: true;
                /**
                 * Format: uri
                 * @description The RDS CA bundle (the global one, valid for every region).
                 */
                caBundleUrl: string;
            };
        };
        TargetList: {
            targets: {
                target: string;
                dbUsers: string[];
                connection: components["schemas"]["Connection"];
            }[];
        };
        /**
         * @description Stable error codes; docs/errors.md says what each means and what fixes it.
         * @enum {string}
         */
        ErrorCode: "request_body_invalid" | "request_too_large" | "unsupported_media_type" | "db_user_required" | "token_missing" | "token_malformed" | "token_algorithm_not_allowed" | "token_key_unknown" | "token_signature_invalid" | "token_issuer_invalid" | "token_tenant_not_allowed" | "token_audience_invalid" | "token_expired" | "token_not_yet_valid" | "token_kind_not_accepted" | "insufficient_scope" | "groups_overage" | "no_grant" | "sts_access_denied" | "sts_token_rejected" | "sts_policy_rejected" | "jwks_unavailable" | "broker_key_unavailable" | "sts_unavailable" | "not_found" | "internal_error";
        /** @description An RFC 9457 problem document. */
        Problem: {
            /**
             * Format: uri
             * @description urn:aurora-aad:error:{code}
             */
            type: string;
            title: string;
            status: number;
            /** @description What failed and which setting fixes it. */
            detail: string;
            code: components["schemas"]["ErrorCode"];
            /** @description The API Gateway request id */
            requestId: string;
            /** @description With db_user_required, the users to choose from. */
            dbUsers?: string[];
            /** @description With insufficient_scope, the scope or app role that is missing. */
            requiredScope?: string;
        };
    };
    responses: {
        /** @description request_body_invalid or db_user_required. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No token, or a token that fails verification (token_*). */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description insufficient_scope (with a WWW-Authenticate challenge naming the
         *     scope), groups_overage or no_grant.
         */
        Forbidden: {
            headers: {
                "WWW-Authenticate": components["headers"]["WwwAuthenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description request_too_large (the body is over 8 KiB). */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description unsupported_media_type (the body is not application/json). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description not_found. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description internal_error. */
        InternalError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description An upstream refused because of its configuration: sts_access_denied,
         *     sts_token_rejected or sts_policy_rejected; `detail` names what to
         *     check.
         */
        BadGateway: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /**
         * @description An upstream is down or throttling: jwks_unavailable,
         *     broker_key_unavailable (KMS), sts_unavailable.
         */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Always `no-store`. */
        NoStore: "no-store";
        /**
         * @description RFC 6750 challenge: `Bearer realm="aurora-aad"` when no token was
         *     sent, with `error="invalid_token"` for a token that fails, and
         *     `error="insufficient_scope", scope="..."` on insufficient_scope.
         */
        WwwAuthenticate: string;
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    issueCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "target": "orders-prod",
                 *       "dbUser": "app_reader"
                 *     }
                 */
                "application/json": components["schemas"]["CredentialRequest"];
            };
        };
        responses: {
            /** @description A signed database token and how to use it. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CredentialResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            500: components["responses"]["InternalError"];
            502: components["responses"]["BadGateway"];
            503: components["responses"]["Unavailable"];
        };
    };
    listTargets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's targets; no tokens. */
            200: {
                headers: {
                    "Cache-Control": components["headers"]["NoStore"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TargetList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["Unavailable"];
        };
    };
    getOpenIdConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The discovery document. */
            200: {
                headers: {
                    /** @description `public, max-age=300` */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenIdConfiguration"];
                };
            };
            404: components["responses"]["NotFound"];
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Web Key Set. */
            200: {
                headers: {
                    /** @description `public, max-age=300` */
                    "Cache-Control"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            404: components["responses"]["NotFound"];
            503: components["responses"]["Unavailable"];
        };
    };
}
