/**
 * A PostgreSQL-wire server on the loopback that records what clients send
 * while signing in: the clear-text password (the IAM token), the startup
 * parameters, whether TLS was used and the name the client asked for (SNI).
 * It answers enough of the protocol for pg and psql: SSLRequest ('N', or TLS
 * when given a certificate), AuthenticationCleartextPassword, AuthenticationOk,
 * ParameterStatus, BackendKeyData, ReadyForQuery, a few simple queries and
 * Terminate.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';

/** One sign-in as the server saw it. */
interface RecordedConnection {
  readonly password: string;
  /** Startup parameters: user, database, application_name, client_encoding... */
  readonly parameters: Readonly<Record<string, string>>;
  readonly tls: boolean;
  /** The TLS server name the client sent, when it sent one. */
  readonly servername: string | undefined;
  /** Simple queries received on this connection, in order. */
  readonly queries: string[];
}

interface PgWireServerOptions {
  /** Answer SSLRequest with TLS using this key and certificate; else 'N'. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Refuse a password (28P01) when this returns false. Default: accept all. */
  readonly acceptPassword?: (password: string, parameters: Record<string, string>) => boolean;
}

interface PgWireServer {
  readonly port: number;
  readonly connections: RecordedConnection[];
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const PROTOCOL_3 = 196608;

/** Reads length-prefixed messages from a stream that may be swapped for TLS. */
class WireReader {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  private stream!: Duplex;

  constructor(stream: Duplex) {
    this.use(stream);
  }

  use(stream: Duplex): void {
    this.stream?.removeAllListeners('data');
    this.stream = stream;
    stream.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake?.();
    });
    stream.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
  }

  async take(size: number): Promise<Buffer | undefined> {
    while (this.buffer.length < size) {
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const taken = this.buffer.subarray(0, size);
    this.buffer = this.buffer.subarray(size);
    return taken;
  }

  /** A startup-phase message: length, then body (no type byte). */
  async untyped(): Promise<Buffer | undefined> {
    const header = await this.take(4);
    return header && this.take(header.readInt32BE(0) - 4);
  }

  /** A normal message: type byte, length, body. */
  async typed(): Promise<{ type: string; body: Buffer } | undefined> {
    const header = await this.take(5);
    if (!header) return undefined;
    const body = await this.take(header.readInt32BE(1) - 4);
    return body && { type: String.fromCharCode(header[0]!), body };
  }
}

function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
}

const cstring = (text: string) => Buffer.from(`${text}\0`, 'utf8');

function parameterStatus(name: string, value: string): Buffer {
  return message('S', Buffer.concat([cstring(name), cstring(value)]));
}

function errorResponse(code: string, text: string): Buffer {
  return message('E', Buffer.concat([
    Buffer.from('SERROR\0', 'utf8'), Buffer.from(`C${code}\0`, 'utf8'),
    Buffer.from(`M${text}\0`, 'utf8'), Buffer.from([0]),
  ]));
}

const readyForQuery = () => message('Z', Buffer.from('I'));

/** One text column and one row: what `SELECT 1` and `SELECT current_user` need. */
function singleValue(column: string, value: string, tag: string): Buffer {
  const field = Buffer.concat([
    cstring(column), int32(0), Buffer.from([0, 0]), int32(25),
    Buffer.from([0xff, 0xff]), int32(-1), Buffer.from([0, 0]),
  ]);
  const description = message('T', Buffer.concat([Buffer.from([0, 1]), field]));
  const cell = Buffer.from(value, 'utf8');
  const row = message('D', Buffer.concat([Buffer.from([0, 1]), int32(cell.length), cell]));
  return Buffer.concat([description, row, message('C', cstring(tag)), readyForQuery()]);
}

function parseParameters(body: Buffer): Record<string, string> {
  const parts = body.subarray(4).toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let index = 0; index + 1 < parts.length && parts[index] !== ''; index += 2) {
    parameters[parts[index]!] = parts[index + 1]!;
  }
  return parameters;
}

function answer(query: string, parameters: Record<string, string>): Buffer {
  const text = query.trim().replace(/;$/, '').toLowerCase();
  if (text === 'select 1') return singleValue('?column?', '1', 'SELECT 1');
  if (text === 'select current_user') {
    return singleValue('current_user', parameters['user'] ?? '', 'SELECT 1');
  }
  return Buffer.concat([
    errorResponse('0A000', 'The recording server answers only SELECT 1 and SELECT current_user.'),
    readyForQuery(),
  ]);
}

async function serve(socket: Socket, options: PgWireServerOptions, log: RecordedConnection[]) {
  let stream: Duplex = socket;
  const reader = new WireReader(socket);
  let startup = await reader.untyped();
  while (startup) {
    const code = startup.readInt32BE(0);
    if (code === SSL_REQUEST && options.tls) {
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, ...options.tls });
      secure.on('error', () => socket.destroy());
      stream = secure;
      reader.use(secure);
    } else if (code === SSL_REQUEST || code === GSS_REQUEST) {
      socket.write('N');
    } else if (code === PROTOCOL_3) {
      break;
    } else {
      socket.destroy();
      return;
    }
    startup = await reader.untyped();
  }
  if (!startup) return;

  const parameters = parseParameters(startup);
  stream.write(message('R', int32(3)));
  const reply = await reader.typed();
  if (reply?.type !== 'p') {
    stream.destroy();
    return;
  }
  const password = reply.body.toString('utf8').replace(/\0$/, '');
  const secure = stream instanceof TLSSocket;
  const servername = secure ? ((stream as TLSSocket & { servername?: string }).servername ||
    undefined) : undefined;
  const record: RecordedConnection = { password, parameters, tls: secure, servername, queries: [] };
  log.push(record);

  if (options.acceptPassword && !options.acceptPassword(password, parameters)) {
    const user = parameters['user'] ?? '';
    stream.end(errorResponse('28P01', `password authentication failed for user "${user}"`));
    return;
  }
  stream.write(Buffer.concat([
    message('R', int32(0)),
    parameterStatus('server_version', '15.0'),
    parameterStatus('server_encoding', 'UTF8'),
    parameterStatus('client_encoding', parameters['client_encoding'] ?? 'UTF8'),
    parameterStatus('DateStyle', 'ISO, MDY'),
    parameterStatus('integer_datetimes', 'on'),
    parameterStatus('standard_conforming_strings', 'on'),
    message('K', Buffer.concat([int32(process.pid), int32(log.length)])),
    readyForQuery(),
  ]));

  for (let next = await reader.typed(); next; next = await reader.typed()) {
    if (next.type === 'X') break;
    if (next.type !== 'Q') {
      stream.write(Buffer.concat([errorResponse('0A000', 'Only simple queries.'), readyForQuery()]));
      continue;
    }
    const query = next.body.toString('utf8').replace(/\0$/, '');
    record.queries.push(query);
    stream.write(answer(query, parameters));
  }
  stream.end();
}

/** Starts the server on 127.0.0.1 and a free port. */
async function startPgWireServer(options: PgWireServerOptions = {}): Promise<PgWireServer> {
  const connections: RecordedConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    serve(socket, options, connections).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

export { startPgWireServer };
export type { PgWireServer, PgWireServerOptions, RecordedConnection };
