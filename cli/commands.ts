import type { Command } from './command.js';
import { login } from './commands/login.js';
import { logout } from './commands/logout.js';
import { mysql } from './commands/mysql.js';
import { psql } from './commands/psql.js';
import { targets } from './commands/targets.js';
import { token } from './commands/token.js';
import { auditCommand } from './commands/audit.js';
import { trustPoliciesCommand } from './commands/trust-policies.js';

/** Every subcommand, in the order `--help` lists them. */
const commands: Command[] = [
  login, logout, targets, token, psql, mysql,
  auditCommand,
  trustPoliciesCommand,
];

export { commands };
