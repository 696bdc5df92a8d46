import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';
import { parse } from 'yaml';
import { printSection } from './table.js';

/** A built function: its folder (the task root) and what went into it. */
interface BuiltFunction {
  root: string;
  entry: string;
  bytes: number;
  gzipBytes: number;
  metafile: Metafile;
}

// serverless-esbuild's own keys; everything else in custom.esbuild is
// passed to esbuild as is.
const pluginKeys = ['exclude', 'packager', 'packagerOptions',
  'outputFileExtension', 'installExtraArgs', 'keepOutputDirectory',
  'nativeZip', 'watch', 'concurrency', 'zipConcurrency'];

/**
 * Builds `functions/<name>.ts` with the esbuild options of serverless.yml's
 * custom.esbuild, the way serverless-esbuild builds it for `osls package`,
 * into a fresh folder laid out like the deployed code.
 */
async function buildFunction(name: string): Promise<BuiltFunction> {
  const service = parse(readFileSync('serverless.yml', 'utf8')) as
    { custom: { esbuild: Record<string, unknown> } };
  const configured = service.custom.esbuild;
  const options = Object.fromEntries(Object.entries(configured)
    .filter(([key]) => !pluginKeys.includes(key))) as BuildOptions;
  const root = mkdtempSync(join(tmpdir(), `aurora-aad-${name}-`));
  const extension = String(configured.outputFileExtension ?? '.js');
  const entry = join(root, 'functions', `${name}${extension}`);

  const result = await build({
    ...options,
    entryPoints: [`functions/${name}.ts`],
    outfile: entry,
    metafile: true,
    logLevel: 'error',
  });
  mkdirSync(join(root, 'config'), { recursive: true });
  cpSync('config/mapping.yaml', join(root, 'config/mapping.yaml'));
  const code = readFileSync(entry);
  return { root, entry, bytes: code.length, gzipBytes: gzipSync(code).length,
    metafile: result.metafile };
}

/** Bytes in the output per package (or project folder), largest first. */
function contributors(metafile: Metafile): Array<[string, number]> {
  const output = Object.values(metafile.outputs).find((entry) => entry.entryPoint);
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
      path.split('/').slice(0, 2).join('/');
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

/** Section 4a: the credentials bundle's size and its largest parts. */
function printBundleSize(built: BuiltFunction, budgetBytes: number): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const total = built.bytes;
  printSection('4a. credentials bundle (serverless.yml custom.esbuild; ratio ' +
    'against the 250 KB budget)', ['part', 'size'], [
    { label: 'bundle, minified', value: kb(total), ratio: total / budgetBytes },
    { label: 'bundle, gzip', value: kb(built.gzipBytes) },
    ...contributors(built.metafile).slice(0, 12).map(([name, bytes]) => ({
      label: `  ${name}`, value: kb(bytes),
      note: `${(100 * bytes / total).toFixed(1)}% of the bundle` })),
  ]);
}

export { buildFunction, contributors, printBundleSize };
export type { BuiltFunction };
