import { parseArgs } from 'node:util';
import { loadMapping } from '../../shared/config/mapping.js';
import { oidcProviderArn, trustPolicies } from '../../shared/broker/trust-policy.js';
import type { Command } from '../command.js';

const usage = 'usage: aurora-aad trust-policies --issuer URL ' +
  '[--audience sts.amazonaws.com] [--mapping config/mapping.yaml]';

/**
 * `aurora-aad trust-policies`: prints, for every role the mapping names,
 * the broker-mode trust policy (this issuer, this audience, `sub` equal to
 * the role's grants), and the IAM OIDC provider to create for the issuer,
 * as one JSON document ready for IaC or `aws iam update-assume-role-policy`.
 */
const trustPoliciesCommand: Command = {
  name: 'trust-policies',
  summary: 'print the IAM OIDC provider and role trust policies for broker mode',
  async run(args) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          issuer: { type: 'string' },
          audience: { type: 'string', default: 'sts.amazonaws.com' },
          mapping: { type: 'string', default: 'config/mapping.yaml' },
        },
      }));
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n${usage}\n`);
      return 2;
    }
    const issuer = brokerIssuer(values.issuer);
    if (!issuer) {
      process.stderr.write(`--issuer must be the API's https URL.\n${usage}\n`);
      return 2;
    }

    const mapping = loadMapping(values.mapping);
    const broker = { issuer, audience: values.audience };
    const roles = trustPolicies(mapping, broker);
    // One provider per account and partition the mapped roles live in.
    const places = [...new Set(roles.map(({ roleArn }) =>
      roleArn.split(':').slice(1, 5).join(':')))];
    process.stdout.write(`${JSON.stringify({
      oidcProviders: places.map((place) => ({
        arn: oidcProviderArn(broker.issuer, place.split(':')[3]!,
          place.split(':')[0]),
        cloudFormation: {
          Type: 'AWS::IAM::OIDCProvider',
          Properties: { Url: broker.issuer, ClientIdList: [broker.audience] },
        },
      })),
      roles,
    }, null, 2)}\n`);
    return 0;
  },
};

// The issuer exactly as the function states it (BROKER_ISSUER, trailing
// slash removed): https, or http on the loopback for the local stack.
function brokerIssuer(value: string | undefined): string | undefined {
  if (!value || !URL.canParse(value)) return undefined;
  const { protocol, hostname } = new URL(value);
  const local = protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(hostname);
  return protocol === 'https:' || local ? value.replace(/\/+$/, '') : undefined;
}

export { trustPoliciesCommand };
