/**
 * `aurora-aad mysql <target> [-- mysql args]`: runs the real mysql client
 * with a fresh token in MYSQL_PWD, the clear-text plugin RDS IAM needs, and
 * TLS verified against the RDS CA bundle.
 */
import { databaseClientCommand } from '../database-client-command.js';
import { mysqlArguments, mysqlEnvironment } from '../database-client-env.js';

const mysql = databaseClientCommand({
  name: 'mysql',
  engine: 'mysql',
  summary: 'run mysql on a MySQL target with a fresh token (password in the environment)',
  launch: (credentials, caPath, route, passThrough) => ({
    args: [...mysqlArguments(credentials, caPath, route), ...passThrough],
    env: mysqlEnvironment(credentials),
  }),
});

export { mysql };
