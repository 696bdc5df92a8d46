import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderApiTypes, SPEC_PATH, TYPES_PATH } from '../../sdk/api-types-generator.js';

const run = promisify(execFile);

describe('sdk/api-types.ts', () => {
  it('is exactly what openapi-typescript generates from openapi.yaml', async () => {
    const generated = await renderApiTypes();

    expect(readFileSync(TYPES_PATH, 'utf8')).toBe(generated);
  });

  it('fails the type check of sdk/ when the spec renames a field the client reads', async () => {
    mkdirSync('.local', { recursive: true });
    const copy = mkdtempSync(join('.local', 'spec-change-'));
    cpSync('sdk', join(copy, 'sdk'), { recursive: true });
    const spec = readFileSync(SPEC_PATH, 'utf8')
      .replace('[token, expiresAt, refreshAfter,', '[token, expiresAt, renewAfter,')
      .replace('        refreshAfter:\n', '        renewAfter:\n');
    writeFileSync(join(copy, 'openapi.yaml'), spec);
    writeFileSync(join(copy, 'sdk', 'api-types.ts'), await renderApiTypes(join(copy, 'openapi.yaml')));
    writeFileSync(join(copy, 'tsconfig.json'), JSON.stringify({
      extends: '../../tsconfig.json', include: ['sdk'],
    }));

    const check = await run(process.execPath, [
      'node_modules/typescript/bin/tsc', '--noEmit', '-p', join(copy, 'tsconfig.json'),
    ]).then(() => ({ stdout: '' }), (error: { stdout: string }) => error)
      .finally(() => rmSync(copy, { recursive: true, force: true }));

    expect(check.stdout).toContain("Property 'refreshAfter' does not exist");
    expect(check.stdout).toContain('sdk/credentials-provider.ts');
  }, 60_000);
});
