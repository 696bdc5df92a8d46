/**
 * One subcommand of the `aurora-aad` CLI. Each lives in its own module
 * under cli/commands/ and is listed in cli/commands.ts.
 */
interface Command {
  /** The word after `aurora-aad`, e.g. "token". */
  name: string;
  /** One line for `aurora-aad --help`. */
  summary: string;
  /** Runs with the arguments after the name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

export type { Command };
