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
    if (!values.issuer?.startsWith('https://') &&
      !values.issuer?.startsWith('http://127.0.0.1')) {
      process.stderr.write(`--issuer must be the API's https URL.\n${usage}\n`);
      return 2;
    }

    const mapping = loadMapping(values.mapping);
    const broker = { issuer: values.issuer, audience: values.audience };
    const roles = trustPolicies(mapping, broker);
    const accounts = [...new Set(roles.map(({ roleArn }) => roleArn.split(':')[4]!))];
    process.stdout.write(`${JSON.stringify({
      oidcProviders: accounts.map((account) => ({
        arn: oidcProviderArn(broker.issuer, account),
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

export { trustPoliciesCommand };
