import type { Mapping } from '../config/mapping-schema.js';
import { grantSubject } from './web-identity-token.js';
import type { BrokerIssuer } from './web-identity-token.js';

/** The IAM name of an OIDC provider: its URL without the scheme. */
function providerKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** The ARN of the broker's IAM OIDC provider in `account`. */
function oidcProviderArn(issuer: string, account: string, partition = 'aws') {
  return `arn:${partition}:iam::${account}:oidc-provider/${providerKey(issuer)}`;
}

/**
 * The trust policy for one role in broker mode: only tokens from the
 * broker's issuer, for its audience, whose `sub` names one of the rules
 * that grant this role. Tagging the session and setting its source
 * identity are allowed under the same conditions, as STS requires for the
 * claims the broker sends.
 */
function trustPolicyFor(roleArn: string, mapping: Mapping,
  broker: Pick<BrokerIssuer, 'issuer' | 'audience'>) {
  const [, partition, , , account] = roleArn.split(':');
  const subjects = mapping.rules
    .filter((rule) => rule.grant.roleArn === roleArn)
    .map((rule) => grantSubject(rule.id));
  const key = providerKey(broker.issuer);
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: {
        Federated: oidcProviderArn(broker.issuer, account!, partition),
      },
      Action: [
        'sts:AssumeRoleWithWebIdentity',
        'sts:TagSession',
        'sts:SetSourceIdentity',
      ],
      Condition: {
        StringEquals: {
          [`${key}:aud`]: broker.audience,
          [`${key}:sub`]: subjects.length === 1 ? subjects[0] : subjects,
        },
      },
    }],
  };
}

/** Every role the mapping names, with its broker-mode trust policy. */
function trustPolicies(mapping: Mapping,
  broker: Pick<BrokerIssuer, 'issuer' | 'audience'>) {
  const roles = [...new Set(mapping.rules.map((rule) => rule.grant.roleArn))];
  return roles.map((roleArn) => ({
    roleArn,
    trustPolicy: trustPolicyFor(roleArn, mapping, broker),
  }));
}

export { oidcProviderArn, providerKey, trustPolicies, trustPolicyFor };
