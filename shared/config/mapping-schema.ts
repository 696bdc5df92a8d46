import * as z from 'zod';

const guid = z.string().regex(
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  'must be a lower-case GUID',
);

const targetName = z.string().regex(
  /^[a-z0-9][a-z0-9-]{0,62}$/,
  'must be 1-63 lower-case letters, digits or hyphens',
);

// PostgreSQL and MySQL identifiers that IAM database authentication accepts.
const dbUser = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
  'must be a database user name of letters, digits and underscores',
);

const target = z.strictObject({
  engine: z.enum(['postgres', 'mysql']),
  host: z.string().regex(
    /^[a-z0-9.-]+\.rds\.amazonaws\.com(\.cn)?$/,
    'must be the cluster or instance endpoint (*.rds.amazonaws.com), ' +
      'never a tunnel or local address',
  ),
  port: z.number().int().min(1).max(65_535),
  database: z.string().min(1).max(63).optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
  clusterResourceId: z.string().regex(
    /^(cluster|db)-[A-Z0-9]+$/,
    'must be the resource id (cluster-XXXX or db-XXXX), not the name',
  ),
  partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
});

const rule = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  when: z.strictObject({
    groups: z.array(guid).min(1).optional(),
    appRoles: z.array(z.string().min(1).max(120)).min(1).optional(),
    principals: z.array(guid).min(1).optional(),
  }).refine(
    (when) => when.groups ?? when.appRoles ?? when.principals,
    'must name groups, appRoles or principals',
  ),
  grant: z.strictObject({
    target: targetName,
    dbUser,
    roleArn: z.string().regex(
      /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
      'must be an IAM role ARN',
    ),
  }),
});

/** The shape of config/mapping.yaml; docs/mapping.md explains each field. */
const mappingSchema = z.strictObject({
  tenants: z.array(guid).min(1),
  audiences: z.array(z.string().min(1)).min(1),
  scope: z.string().regex(/^\S+$/, 'must be one scope value'),
  appRole: z.string().regex(/^\S+$/, 'must be one app role value'),
  targets: z.record(targetName, target),
  rules: z.array(rule),
});

type Mapping = z.infer<typeof mappingSchema>;
type Target = z.infer<typeof target>;
type Rule = z.infer<typeof rule>;

export { mappingSchema };
export type { Mapping, Target, Rule };
