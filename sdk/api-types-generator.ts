/**
 * Renders sdk/api-types.ts from openapi.yaml. The SDK's request and response
 * types come only from the spec, so a spec change either regenerates this
 * file or fails the drift test (test/sdk/api-types-drift.test.ts) and, through
 * sdk/client.ts, `npm run typecheck`.
 *
 * `npm run generate:sdk` writes the file; the drift test calls
 * {@link renderApiTypes} and compares in memory.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const SPEC_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const TYPES_PATH = fileURLToPath(new URL('./api-types.ts', import.meta.url));

const HEADER =
  '// Generated from openapi.yaml by `npm run generate:sdk` (openapi-typescript).\n' +
  '// Do not edit: change openapi.yaml and regenerate; CI fails when they differ.\n\n';

/** The text sdk/api-types.ts must hold for the spec at `specPath`. */
async function renderApiTypes(specPath: string = SPEC_PATH): Promise<string> {
  const spec = await readFile(specPath, 'utf8');
  const ast = await openapiTS(spec, { silent: true });
  return HEADER + astToString(ast);
}

/** Regenerates sdk/api-types.ts in place. */
async function writeApiTypes(): Promise<void> {
  await writeFile(TYPES_PATH, await renderApiTypes());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeApiTypes();
  process.stdout.write(`wrote ${TYPES_PATH}\n`);
}

export { renderApiTypes, SPEC_PATH, TYPES_PATH, writeApiTypes };
