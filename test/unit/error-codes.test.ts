import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiError } from '../../shared/errors/api-error.js';
import { errorCodes } from '../../shared/errors/codes.js';
import type { ErrorCode } from '../../shared/errors/codes.js';
import { problemResponse } from '../../shared/http/problem.js';

const codes = Object.keys(errorCodes).sort();

describe('the error code list', () => {
  it('is the ErrorCode enum of openapi.yaml', () => {
    const spec = parse(readFileSync('openapi.yaml', 'utf8'));

    expect([...spec.components.schemas.ErrorCode.enum].sort()).toEqual(codes);
  });

  it('is the table of docs/errors.md, with the same statuses', () => {
    const rows = [...readFileSync('docs/errors.md', 'utf8')
      .matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)]
      .map(([, code, status]) => [code, Number(status)] as const);

    expect(rows.map(([code]) => code).sort()).toEqual(codes);
    for (const [code, status] of rows) {
      expect(errorCodes[code as ErrorCode].status, code).toBe(status);
    }
  });

  it('renders every code as a problem document with its status', () => {
    for (const code of codes as ErrorCode[]) {
      const response = problemResponse(new ApiError(code, 'detail'), 'req-1');
      const body = JSON.parse(String(response.body));

      expect(response.statusCode).toBe(errorCodes[code].status);
      expect(response.headers?.['content-type']).toBe('application/problem+json');
      expect(body).toMatchObject({
        type: `urn:aurora-aad:error:${code}`,
        status: errorCodes[code].status,
        code,
        detail: 'detail',
        requestId: 'req-1',
      });
    }
  });

  it('challenges 401s with invalid_token, except a missing token', () => {
    const expired = problemResponse(new ApiError('token_expired', 'x'), 'r');
    const missing = problemResponse(new ApiError('token_missing', 'x'), 'r');

    expect(expired.headers?.['www-authenticate']).toMatch(
      /^Bearer realm="aurora-aad", error="invalid_token", error_description="/,
    );
    expect(missing.headers?.['www-authenticate']).toBe('Bearer realm="aurora-aad"');
  });

  it('names the missing scope on insufficient_scope', () => {
    const response = problemResponse(new ApiError('insufficient_scope', 'x', {
      extensions: { requiredScope: 'Credentials.Issue' },
    }), 'r');

    expect(response.statusCode).toBe(403);
    expect(response.headers?.['www-authenticate']).toBe(
      'Bearer realm="aurora-aad", error="insufficient_scope", ' +
        'scope="Credentials.Issue"',
    );
    expect(JSON.parse(String(response.body)).requiredScope).toBe('Credentials.Issue');
  });

  it('tells clients when to retry a 503', () => {
    const response = problemResponse(new ApiError('sts_unavailable', 'x'), 'r');

    expect(response.statusCode).toBe(503);
    expect(response.headers?.['retry-after']).toBe('2');
  });
});
