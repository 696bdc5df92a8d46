import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// What serverless.yml needs to package and serve the functions.
const serviceFiles = ['serverless.yml', 'package.json', 'tsconfig.json',
  'functions', 'shared', 'config', 'ops'];

/**
 * A private copy of the service in a temporary folder, sharing the
 * project's node_modules. serverless-esbuild builds into the service's own
 * folder, so two packagers or offline servers running at once (parallel
 * test files) must not share one.
 */
function copyService(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'aurora-aad-service-'));
  for (const file of serviceFiles.filter((name) =>
    existsSync(join(projectRoot, name)))) {
    cpSync(join(projectRoot, file), join(dir, file), { recursive: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export { copyService, projectRoot };
