/**
 * Runs psql or mysql with the token in its environment and the terminal
 * attached, and hands back its exit code. The token never goes on the
 * command line, where other users of the machine could read it with `ps`.
 */
import { spawn } from 'node:child_process';
import { AuroraAadError } from '../sdk/errors.js';

/** Resolves to the client's exit code (128 + signal number when killed). */
function runDatabaseClient(
  command: string,
  args: string[],
  environment: Record<string, string>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      env: { ...process.env, ...environment },
    });
    child.on('error', (error) => reject(new AuroraAadError('client_missing',
      `Could not run ${command}: ${error.message}. Install it or pass --client PATH.`,
      { cause: error })));
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

export { runDatabaseClient };
