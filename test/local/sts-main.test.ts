import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sts-main-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'local/sts/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exitOf(child: ReturnType<typeof run>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('local/sts/main.ts', () => {
  it('serves on the given port, writes the trail file and stops on SIGTERM', async () => {
    const trail = join(dir, 'trail.jsonl');
    const child = run(['--port', '0', '--entra', 'http://127.0.0.1:9', '--trail', trail]);
    const exited = exitOf(child);

    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`main.ts exited early: ${out}`)));
    });
    const response = await fetch(`${url}/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15`);
    child.kill('SIGTERM');

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<Code>ValidationError</Code>');
    expect(await exited).toBe(0);
    const event = JSON.parse(readFileSync(trail, 'utf8').trim());
    expect(event.errorCode).toBe('ValidationError');
  });

  it('fails at start, naming --entra, when the placeholder has no value', async () => {
    const child = run(['--port', '0']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });

    expect(await exitOf(child)).toBe(1);
    expect(err).toContain('--entra');
  });
});
