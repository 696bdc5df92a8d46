/**
 * `aurora-aad psql <target> [-- psql args]`: runs the real psql with a fresh
 * token in PGPASSWORD and verify-full TLS against the RDS CA bundle
 * (PGSSLMODE, PGSSLROOTCERT), all in its environment.
 */
import { databaseClientCommand } from '../database-client-command.js';
import { psqlEnvironment } from '../database-client-env.js';

const psql = databaseClientCommand({
  name: 'psql',
  engine: 'postgres',
  summary: 'run psql on a PostgreSQL target with a fresh token (password in the environment)',
  launch: (credentials, caPath, route, passThrough) => ({
    args: passThrough,
    env: psqlEnvironment(credentials, caPath, route),
  }),
});

export { psql };
