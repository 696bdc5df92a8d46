import type { Command } from './command.js';
import { auditCommand } from './commands/audit.js';
import { trustPoliciesCommand } from './commands/trust-policies.js';

/** Every subcommand, in the order `--help` lists them. */
const commands: Command[] = [
  auditCommand,
  trustPoliciesCommand,
];

export { commands };
