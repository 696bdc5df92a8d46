/** `aurora-aad targets`: what the signed-in caller may request, without tokens. */
import { apiClientFor } from '../api-session.js';
import { COMMON_HELP, parseCommand, resolveSettings } from '../cli-settings.js';
import type { Command } from '../command.js';
import { EXIT, reportFailure, UsageError } from '../exit-codes.js';

async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommand(args, { output: { type: 'string', short: 'o' } });
    if (values.help) {
      process.stdout.write(`usage: aurora-aad targets [--output table|json] [options]\n${COMMON_HELP}`);
      return EXIT.ok;
    }
    const output = values.output ?? 'table';
    if (output !== 'table' && output !== 'json') {
      throw new UsageError('--output is table or json.');
    }
    const { targets } = await apiClientFor(await resolveSettings(values)).listTargets();

    if (output === 'json') {
      process.stdout.write(`${JSON.stringify({ targets }, null, 2)}\n`);
      return EXIT.ok;
    }
    const rows = [['TARGET', 'ENGINE', 'ENDPOINT', 'DATABASE', 'DB USERS'], ...targets.map((t) => [
      t.target,
      t.connection.engine,
      `${t.connection.host}:${t.connection.port}`,
      t.connection.database ?? '-',
      t.dbUsers.join(','),
    ])];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) {
      process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

const targets: Command = { name: 'targets', summary: 'list the targets you may request', run };

export { targets };
