import type { Target } from '../config/mapping-schema.js';

/**
 * The ARN that `rds-db:connect` needs for one database user on one cluster:
 * arn:{partition}:rds-db:{region}:{account}:dbuser:{resourceId}/{dbUser}.
 */
function dbUserArn(target: Target, dbUser: string): string {
  return `arn:${target.partition}:rds-db:${target.region}:${target.account}` +
    `:dbuser:${target.clusterResourceId}/${dbUser}`;
}

/**
 * The inline session policy passed to STS. The session's permissions are
 * the intersection of the role's policies and this one, so even a role that
 * allows more can only connect as the granted user on the granted cluster.
 */
function sessionPolicy(target: Target, dbUser: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: 'rds-db:connect',
      Resource: dbUserArn(target, dbUser),
    }],
  });
}

export { dbUserArn, sessionPolicy };
