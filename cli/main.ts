/**
 * The `aurora-aad` command line: `aurora-aad <command> [options]`.
 * `aurora-aad --help` lists the commands; exit codes are in docs/cli.md.
 */
import { commands } from './commands.js';

const [name, ...args] = process.argv.slice(2);
const command = commands.find((candidate) => candidate.name === name);

if (!command) {
  const width = Math.max(0, ...commands.map((c) => c.name.length));
  const list = commands
    .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  const unknown = name !== undefined && name !== '--help';
  const stream = unknown ? process.stderr : process.stdout;
  stream.write(`${unknown ? `aurora-aad: unknown command "${name}"\n` : ''}` +
    `usage: aurora-aad <command> [options]\n\n${list}\n`);
  process.exitCode = unknown ? 2 : 0;
} else {
  process.exitCode = await command.run(args);
}
