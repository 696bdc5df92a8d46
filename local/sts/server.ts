import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account } from './account.js';
import { assumeRoleWithWebIdentity } from './assume.js';
import type { AssumeDependencies, AssumeOutcome } from './assume.js';
import { StsError } from './errors.js';
import { Trail, trailEventFor } from './trail.js';
import type { RequestOrigin, TrailEvent } from './trail.js';
import { WebIdentityVerifier } from './web-identity.js';
import { assumeResponseXml, errorResponseXml } from './xml.js';

/** Largest request body accepted; a maximal token, URL-encoded, fits with room to spare. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * A failure to stage on the next `count` requests: an STS error response
 * (`Throttling` with 400, `ServiceUnavailable` with 503, ...), a connection
 * reset, or a request that is never answered.
 */
type Fault =
  | { code: string; status: number; message?: string; count: number }
  | { kind: 'reset' | 'hang'; count: number };

/** How to start the stand-in. */
interface StsStandInOptions {
  account: Account;
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The region written into trail events. */
  region?: string;
  /** When set, each trail event is appended to this file as one JSON line. */
  trailFile?: string;
  /** The clock for token lifetimes, expirations and trail times; tests freeze it. */
  now?: () => Date;
}

/** A running STS stand-in. */
interface StsStandIn {
  /** Base URL to give an STS client as its endpoint. */
  url: string;
  /** Every decision so far, oldest first. */
  readonly trail: TrailEvent[];
  /** Stages a fault for the next requests, after any fault already staged. */
  injectFault(fault: Fault): void;
  readonly stats: { requests: number };
  /** Stops listening and drops open connections, hung ones included. */
  close(): Promise<void>;
}

const FAULT_MESSAGES: Record<string, string> = {
  Throttling: 'Rate exceeded',
  ServiceUnavailable: 'Service is unavailable. Please try again later.',
  InternalFailure: 'The request processing has failed because of an unknown error.',
};

/**
 * Starts an STS endpoint on loopback that answers AssumeRoleWithWebIdentity in
 * STS's query protocol, so the real AWS SDK and awscli can be pointed at it
 * with nothing but an endpoint URL.
 */
async function startStsStandIn(options: StsStandInOptions): Promise<StsStandIn> {
  const now = options.now ?? (() => new Date());
  const region = options.region ?? 'eu-west-1';
  const trail = new Trail(options.trailFile);
  const deps: AssumeDependencies = {
    account: options.account,
    verifier: new WebIdentityVerifier(options.account, now),
    now,
  };
  const faults: Fault[] = [];
  const stats = { requests: 0 };

  const server = createServer((req, res) => {
    stats.requests += 1;
    const origin: RequestOrigin = {
      requestId: randomUUID(),
      time: now(),
      sourceIp: req.socket.remoteAddress ?? 'unknown',
      userAgent: req.headers['user-agent'] ?? '',
    };

    const fault = takeFault(faults);
    if (fault && 'kind' in fault) {
      if (fault.kind === 'reset') req.socket.destroy();
      // A hung request is left unanswered until close() drops its connection.
      return;
    }

    void handle(req, res, origin, fault).catch((cause: unknown) => {
      if (!res.headersSent) sendError(res, unexpected(cause), origin);
    });
  });

  /** Decides one request, records the decision and answers it. */
  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    origin: RequestOrigin,
    fault: Exclude<Fault, { kind: string }> | undefined,
  ): Promise<void> {
    let outcome: AssumeOutcome;
    try {
      const params = await readParams(req);
      outcome = fault
        ? refused(injected(fault))
        : await assumeRoleWithWebIdentity(params, deps);
    } catch (cause) {
      outcome = refused(cause instanceof StsError ? cause : unexpected(cause));
    }

    trail.record(trailEventFor(outcome, origin, { region, accountId: options.account.id }));
    if (outcome.result) {
      send(res, 200, assumeResponseXml(outcome.result, origin.requestId), origin);
    } else {
      sendError(res, outcome.error ?? unexpected(undefined), origin);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    trail: trail.events,
    injectFault(fault: Fault) {
      if (!Number.isInteger(fault.count) || fault.count < 1) {
        throw new RangeError('injectFault needs a count of at least 1.');
      }
      faults.push({ ...fault });
    },
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The next staged fault, counting it down; faults run in the order they were staged. */
function takeFault(faults: Fault[]): Fault | undefined {
  const head = faults[0];
  if (!head) return undefined;
  head.count -= 1;
  if (head.count <= 0) faults.shift();
  return head;
}

/**
 * The query parameters of a request as STS reads them: the query string, and
 * for POST a form-encoded body. Other body encodings (AWS JSON, CBOR) are refused
 * plainly rather than misread, since the SDK and awscli both send forms to STS.
 */
async function readParams(req: IncomingMessage): Promise<URLSearchParams> {
  const url = new URL(req.url ?? '/', 'http://stand-in');
  const params = new URLSearchParams(url.search);

  if (req.method === 'GET') return params;
  if (req.method !== 'POST') {
    req.resume();
    throw new StsError('InvalidAction', `STS answers GET and POST, not ${req.method}.`, {
      status: 405,
    });
  }

  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (body.length > 0 && type !== 'application/x-www-form-urlencoded') {
    throw new StsError(
      'InvalidAction',
      `This STS endpoint speaks the query protocol; send application/x-www-form-urlencoded, ` +
        `not ${type || 'an untyped body'}.`,
    );
  }
  for (const [key, value] of new URLSearchParams(body)) params.append(key, value);
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new StsError('ValidationError', 'The request body is larger than STS accepts.', {
        status: 413,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function injected(fault: Exclude<Fault, { kind: string }>): StsError {
  const message = fault.message ?? FAULT_MESSAGES[fault.code] ?? fault.code;
  return new StsError(fault.code, message, { status: fault.status });
}

function refused(error: StsError): AssumeOutcome {
  return { request: undefined, identity: undefined, session: undefined, result: undefined, error };
}

function unexpected(cause: unknown): StsError {
  return new StsError('InternalFailure', 'The STS stand-in failed unexpectedly.', { cause });
}

function sendError(res: ServerResponse, error: StsError, origin: RequestOrigin): void {
  send(res, error.status, errorResponseXml(error, origin.requestId), origin);
}

function send(res: ServerResponse, status: number, body: string, origin: RequestOrigin): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-RequestId': origin.requestId,
    // The wall clock, not the stand-in's (possibly frozen) one: SDKs read Date
    // to correct clock skew, and a frozen test clock must not skew them.
    date: new Date().toUTCString(),
  });
  res.end(body);
}

export { startStsStandIn };
export type { Fault, StsStandIn, StsStandInOptions };
