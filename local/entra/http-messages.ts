/**
 * Reading request bodies and writing JSON replies for the stand-in's
 * node:http server. Bodies are size-capped so a runaway client gets a 413
 * instead of growing the process, and every reply is JSON with no caching
 * unless a route says otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Larger than any token request or developer request needs. */
const MAX_BODY_BYTES = 64 * 1024;

/** A body over {@link MAX_BODY_BYTES}. */
class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'body_too_large';
}

/** Reads the whole body, refusing more than {@link MAX_BODY_BYTES}. */
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += bytes.length;
    if (size > MAX_BODY_BYTES) {
      throw new BodyTooLargeError(`The request body is over ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** The media type of a request, lower-cased, without parameters. */
function mediaType(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Writes `body` as JSON; `no-store` unless `headers` says otherwise. */
function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store, no-cache',
    ...headers,
  });
  response.end(text);
}

export { BodyTooLargeError, MAX_BODY_BYTES, mediaType, readBody, sendJson };
