/** `aurora-aad logout`: forgets the profile's cached tokens. */
import { deleteSignIn } from '../../sdk/token-cache.js';
import { COMMON_HELP, parseCommand, resolveSettings } from '../cli-settings.js';
import type { Command } from '../command.js';
import { EXIT, reportFailure } from '../exit-codes.js';

async function run(args: string[]): Promise<number> {
  try {
    const { values } = parseCommand(args, {});
    if (values.help) {
      process.stdout.write(`usage: aurora-aad logout [options]\n${COMMON_HELP}`);
      return EXIT.ok;
    }
    const { profile } = await resolveSettings(values);
    const existed = await deleteSignIn({ profile });
    process.stdout.write(existed ? `Signed out (profile ${profile}).\n`
      : `Not signed in (profile ${profile}).\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

const logout: Command = { name: 'logout', summary: 'forget the cached sign-in', run };

export { logout };
