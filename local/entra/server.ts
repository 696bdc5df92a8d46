/**
 * Starts the local Entra stand-in: an HTTP server on the loopback that serves
 * Entra's discovery documents, key sets and token endpoint for the development
 * directory, with fresh RSA keys per start. Tests and the local stack start it
 * in-process; `main.ts` starts it alone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevTokenRequest } from './dev-token-request.js';
import { mintDevToken } from './dev-tokens.js';
import { loadDirectory } from './directory.js';
import type { Directory } from './directory.js';
import { createRequestListener } from './routes.js';
import type { JwksFault, StandInState } from './routes.js';
import { createSignInStore } from './sign-in-store.js';
import { createKeyRing } from './signing-keys.js';

/** Where and with what directory to start. */
interface EntraStandInOptions {
  /** Default: the checked-in `local/entra/directory.yaml`. */
  readonly directory?: Directory;
  /** Default `127.0.0.1`: the stand-in is for this machine only. */
  readonly host?: string;
  /** Default 0: the system picks a free port; read it from `url`. */
  readonly port?: number;
}

/** A running stand-in and the levers tests pull on it. */
interface EntraStandIn {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The directory being served, names resolved. */
  readonly directory: Directory;
  /** Same as `POST /_dev/token`, without HTTP. */
  issueToken(request: DevTokenRequest): Promise<string>;
  /** A new key signs from now on; the old key stays published. */
  rotateSigningKey(): Promise<void>;
  /** Makes the key endpoints fail (a status) or never answer, until `null`. */
  setJwksFault(fault: JwksFault): void;
  /** Live counters; `jwksRequests` counts every key-endpoint request. */
  readonly stats: { readonly jwksRequests: number };
  /** Stops listening and drops open connections, hung ones included. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a stand-in. Resolves once it listens; `url` then has the real port.
 *
 * @example
 * const entra = await startEntraStandIn();
 * const token = await entra.issueToken({ user: 'alice' });
 * await entra.close();
 */
async function startEntraStandIn(options: EntraStandInOptions = {}): Promise<EntraStandIn> {
  const directory = options.directory ?? (await loadDirectory());
  const host = options.host ?? '127.0.0.1';
  const state: StandInState = {
    directory,
    keys: await createKeyRing(),
    signIns: createSignInStore(),
    baseUrl: '',
    jwksFault: null,
    stats: { jwksRequests: 0 },
  };

  const server = createServer(createRequestListener(state));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://${urlHost(host)}:${port}`;

  return {
    url: state.baseUrl,
    directory,
    issueToken: async (request) => (await mintDevToken(directory, state.keys, request)).token,
    rotateSigningKey: () => state.keys.rotate(),
    setJwksFault: (fault) => {
      state.jwksFault = fault;
    },
    stats: state.stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

export { startEntraStandIn };
export type { DevTokenRequest, EntraStandIn, EntraStandInOptions, JwksFault };
