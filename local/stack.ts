/**
 * The embedded local stack: the Entra stand-in, the STS stand-in and the API
 * itself under serverless-offline, started from the same serverless.yml that
 * deploys (stage "local"). The API is pointed at the stand-ins by
 * configuration only: serverless.yml's local stage reads their URLs from
 * AURORA_AAD_ENTRA_URL and AURORA_AAD_STS_URL.
 *
 * `npm run stack` keeps it running until Ctrl-C; `npm run demo` and the flow
 * tests start it, use it and stop it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyService, projectRoot } from './service-copy.js';
import { startEntraStandIn } from './entra/server.js';
import type { EntraStandIn } from './entra/server.js';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { loadMapping } from '../shared/config/mapping.js';
import { trustPolicies } from '../shared/broker/trust-policy.js';
import { parseAccount } from './sts/account.js';
import type { Account } from './sts/account.js';
import { startStsStandIn } from './sts/server.js';
import type { StsStandIn } from './sts/server.js';

interface LocalStackOptions {
  /** Which web identity STS sees (WEB_IDENTITY_MODE); default broker. */
  mode?: 'broker' | 'pass-through';
  /** Fixed ports for people; tests pass 0 for Entra and STS. */
  entraPort?: number;
  stsPort?: number;
  apiPort?: number;
  lambdaPort?: number;
  /** Where the STS stand-in appends its CloudTrail-like log. */
  trailFile?: string;
  /** Receives every line the API process prints (its logs). */
  onApiLine?: (line: string) => void;
  /**
   * Serve from a private copy of the service, so that several stacks (or a
   * stack and a packager) can run at once, as parallel test files do.
   */
  isolate?: boolean;
}

interface LocalStack {
  entra: EntraStandIn;
  sts: StsStandIn;
  /** The API's base URL, e.g. http://127.0.0.1:3000 */
  apiUrl: string;
  stop(): Promise<void>;
}

const osls = `${projectRoot}node_modules/.bin/osls`;

/** Starts all three parts; resolves when the API answers. */
async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const mode = options.mode ?? 'broker';
  const apiPort = options.apiPort ?? 3000;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const entra = await onFreePort(options.entraPort ?? 4010,
    (port) => startEntraStandIn({ port }));
  const sts = await onFreePort(options.stsPort ?? 4020, (port) =>
    startStsStandIn({
      account: stackAccount(mode, entra.url, apiUrl),
      port,
      ...(options.trailFile ? { trailFile: options.trailFile } : {}),
    })).catch(async (error: unknown) => {
    await entra.close();
    throw error;
  });

  const copy = options.isolate ? copyService() : undefined;
  let api: ChildProcess | undefined;
  try {
    api = await startApi(copy?.dir ?? projectRoot, {
      AURORA_AAD_ENTRA_URL: entra.url,
      AURORA_AAD_STS_URL: sts.url,
      AURORA_AAD_API_PORT: String(apiPort),
      AURORA_AAD_LAMBDA_PORT: String(options.lambdaPort ?? 3002),
      AURORA_AAD_WEB_IDENTITY_MODE: mode,
      AURORA_AAD_BROKER_KEY_FILE: developmentBrokerKey(),
    }, options.onApiLine);
  } catch (error) {
    await Promise.all([entra.close(), sts.close()]);
    copy?.remove();
    throw error;
  }

  return {
    entra,
    sts,
    apiUrl,
    stop: async () => {
      await stopProcess(api);
      await Promise.all([entra.close(), sts.close()]);
      copy?.remove();
    },
  };
}

// A port already taken almost always means a stack is already running.
async function onFreePort<T>(port: number, start: (port: number) => Promise<T>):
  Promise<T> {
  try {
    return await start(port);
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`Port ${port} on 127.0.0.1 is in use: is a local stack ` +
        'already running (npm run stack, npm run demo)? Stop it first.');
    }
    throw error;
  }
}

/**
 * The account the STS stand-in plays. In pass-through mode, local/sts/aws.yaml
 * as written: roles trust the Entra issuers. In broker mode, the same
 * providers plus the API's own issuer, and every mapped role's trust policy
 * exactly as `aurora-aad trust-policies` prints it: only the broker's
 * tokens, only the role's grants.
 */
function stackAccount(mode: 'broker' | 'pass-through', entraUrl: string,
  apiUrl: string): Account {
  const text = readFileSync(new URL('./sts/aws.yaml', import.meta.url), 'utf8');
  if (mode === 'pass-through') return parseAccount(text, { entra: entraUrl });

  const file = parseYamlObject(text);
  const broker = { issuer: apiUrl, audience: 'sts.amazonaws.com' };
  const mapped = trustPolicies(loadMapping(`${projectRoot}config/mapping.yaml`), broker);
  const names = new Set(mapped.map(({ roleArn }) => roleArn.split('/').pop()));
  return parseAccount(stringify({
    ...file,
    oidcProviders: [...file.oidcProviders, {
      url: broker.issuer,
      clientIds: [broker.audience],
      jwksUri: `${apiUrl}/.well-known/jwks.json`,
    }],
    roles: [
      ...file.roles.filter((role) => !names.has(role.name)),
      ...mapped.map(({ roleArn, trustPolicy }) => ({
        name: roleArn.split('/').pop(),
        maxSessionDuration: 3600,
        trustPolicy,
      })),
    ],
  }), { entra: entraUrl }, 'broker-mode account');
}

function parseYamlObject(text: string): {
  oidcProviders: object[];
  roles: Array<{ name: string }>;
} {
  return parseYaml(text);
}

/**
 * The development signing key of broker mode, made once and kept in
 * .local/ (never committed): a KMS key plays this part in the cloud.
 */
function developmentBrokerKey(): string {
  const path = resolve(projectRoot, '.local/broker-signing-key.pem');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }),
      { mode: 0o600 });
  }
  return path;
}

async function startApi(
  serviceDir: string,
  settings: Record<string, string>,
  onLine: ((line: string) => void) | undefined,
): Promise<ChildProcess> {
  const child = spawn(osls, ['offline', 'start', '--stage', 'local'], {
    cwd: serviceDir,
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });

  const output: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(
      `serverless-offline did not start within 90 s:\n${output.join('\n')}`,
    )), 90_000);
    const read = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        output.push(line);
        onLine?.(line);
        if (line.includes('Server ready')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(
        `serverless-offline exited with ${code}:\n${output.join('\n')}`,
      ));
    });
  });

  try {
    await ready;
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return child;
}

// serverless-offline runs the handlers in child processes and workers of
// its own: the whole process group is stopped, not just its leader.
async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = once(child, 'exit');
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

export { startLocalStack };
export type { LocalStack, LocalStackOptions };
