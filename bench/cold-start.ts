import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startEntraStandIn } from '../local/entra/server.js';
import { loadAccount } from '../local/sts/account.js';
import { startStsStandIn } from '../local/sts/server.js';
import { httpApiEvent } from '../test/support/lambda-events.js';
import type { BuiltFunction } from './bundle-size.js';
import { micros, printSection } from './table.js';

const node = join(process.cwd(), 'node_modules/.bin/node');

/**
 * Milliseconds from spawning a fresh Node process to reading its answer
 * line: process start, module load, the first request, the write.
 */
function timeToAnswer(script: string, cwd: string, env: NodeJS.ProcessEnv):
  Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, ['--input-type=module', '-e', script],
      { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = '';
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ANSWER ')) {
        const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        const status = /ANSWER (\d+)/.exec(seen)?.[1];
        child.kill();
        if (status === '200' || status === '401') resolve(elapsed);
        else reject(new Error(`The function answered ${status}.`));
      }
    });
    child.on('exit', (code) => {
      if (!seen.includes('ANSWER ')) reject(new Error(`exited ${code}: ${seen}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Section 4b: cold starts. The built bundle is started fresh `runs` times
 * and handles one API Gateway event, against a bare Node process started
 * the same way that writes the same kind of answer line. The Entra and
 * STS stand-ins run on 127.0.0.1 in this process.
 */
async function benchColdStart(built: BuiltFunction, runs: number):
  Promise<void> {
  const entra = await startEntraStandIn();
  const sts = await startStsStandIn({
    account: loadAccount(undefined, { entra: entra.url }) });
  try {
    const token = await entra.issueToken({ user: 'alice' });
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      MAPPING_FILE: 'config/mapping.yaml',
      ENTRA_AUTHORITY_HOST: entra.url,
      STS_ENDPOINT_URL: sts.url,
      TOKEN_FINGERPRINT_KEY: 'bench-fingerprint-key-0123456789abcdef',
      WEB_IDENTITY_MODE: 'pass-through',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    };
    const invoke = (headers: Record<string, string>) => `
      const { handler } = await import(${JSON.stringify(built.entry)});
      const answer = await handler(${JSON.stringify(httpApiEvent({
        method: 'POST', path: '/v1/credentials',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"target":"orders-prod","dbUser":"app_reader"}' }))},
        { functionName: 'credentials', awsRequestId: 'cold',
          getRemainingTimeInMillis: () => 10000 });
      process.stdout.write('ANSWER ' + answer.statusCode + '\\n');`;
    const cases: Array<[string, string, NodeJS.ProcessEnv?]> = [
      ['bare node: start, write an answer line',
        'const answer = { statusCode: 200, body: JSON.stringify({}) };\n' +
        'process.stdout.write("ANSWER " + answer.statusCode + "\\n");'],
      ['bundle: load, refuse a request without a token (401)', invoke({})],
      ['  the same without --enable-source-maps', invoke({}),
        { ...env, NODE_OPTIONS: '' }],
      ['bundle: load, issue credentials (JWKS + STS on loopback)',
        invoke({ authorization: `Bearer ${token}` })],
    ];
    const medians: number[] = [];
    for (const [, script, caseEnv] of cases) {
      const times: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        times.push(await timeToAnswer(script, built.root, caseEnv ?? env));
      }
      medians.push(median(times));
    }
    const bare = medians[0]!;
    printSection(`4b. Cold start: fresh process to first answer (median of ` +
      `${runs}, NODE_OPTIONS=--enable-source-maps as deployed; ratio against ` +
      'bare node)', ['process', 'median'], cases.map(([label], index) => ({
      label, value: micros(medians[index]! * 1000), ratio: medians[index]! / bare,
    })));
  } finally {
    await Promise.all([entra.close(), sts.close()]);
  }
}

export { benchColdStart };
