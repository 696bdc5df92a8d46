import { describe, expect, it } from 'vitest';
import type { TrustPolicy } from '../../local/sts/account.js';
import { evaluateTrustPolicy, wildcardMatches } from '../../local/sts/policy.js';

const PRINCIPAL = 'arn:aws:iam::111122223333:oidc-provider/issuer.example.test/';

function decide(Condition: TrustPolicy['Statement'][number]['Condition'], context: object) {
  const policy: TrustPolicy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: PRINCIPAL },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(Condition && { Condition }),
      },
    ],
  };
  return evaluateTrustPolicy(policy, {
    federatedPrincipal: PRINCIPAL,
    action: 'sts:AssumeRoleWithWebIdentity',
    context: new Map(
      Object.entries(context).map(([key, value]) => [key.toLowerCase(), value as string[]]),
    ),
  });
}

describe('condition evaluation', () => {
  it.each([
    ['StringEquals', 'implicit-deny'],
    ['StringLike', 'implicit-deny'],
    ['StringNotEquals', 'allow'],
    ['StringNotLike', 'allow'],
    ['StringEqualsIfExists', 'allow'],
    ['ForAnyValue:StringEquals', 'implicit-deny'],
    ['ForAllValues:StringEquals', 'allow'],
  ])('treats a missing key under %s as %s', (operator, expected) => {
    expect(decide({ [operator]: { 'k:x': 'v' } }, {})).toBe(expected);
  });

  it('requires every key and every operator to hold', () => {
    const condition = {
      StringEquals: { 'k:a': '1', 'k:b': '2' },
      StringLike: { 'k:c': '3*' },
    };

    expect(decide(condition, { 'k:a': ['1'], 'k:b': ['2'], 'k:c': ['345'] })).toBe('allow');
    expect(decide(condition, { 'k:a': ['1'], 'k:b': ['9'], 'k:c': ['345'] })).toBe(
      'implicit-deny',
    );
  });

  it('applies ForAllValues to every request value', () => {
    const condition = { 'ForAllValues:StringEquals': { 'k:tags': ['a', 'b'] } };

    expect(decide(condition, { 'k:tags': ['a', 'b'] })).toBe('allow');
    expect(decide(condition, { 'k:tags': ['a', 'c'] })).toBe('implicit-deny');
  });

  it('compares IgnoreCase operators without case', () => {
    expect(decide({ StringEqualsIgnoreCase: { 'k:a': 'ABC' } }, { 'k:a': ['abc'] })).toBe('allow');
  });

  it('checks presence with Null', () => {
    expect(decide({ Null: { 'k:a': 'true' } }, {})).toBe('allow');
    expect(decide({ Null: { 'k:a': 'true' } }, { 'k:a': ['x'] })).toBe('implicit-deny');
    expect(decide({ Null: { 'k:a': 'false' } }, { 'k:a': ['x'] })).toBe('allow');
  });

  it('ignores statements for another federated principal', () => {
    const policy: TrustPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/other/' },
          Action: '*',
        },
      ],
    };

    const decision = evaluateTrustPolicy(policy, {
      federatedPrincipal: PRINCIPAL,
      action: 'sts:AssumeRoleWithWebIdentity',
      context: new Map(),
    });

    expect(decision).toBe('implicit-deny');
  });
});

describe('wildcardMatches', () => {
  it.each([
    ['abc', 'a*', true],
    ['abc', 'a?c', true],
    ['abc', 'a?', false],
    ['a.c', 'a.c', true],
    ['abc', 'a.c', false],
    ['line\nbreak', 'line*', true],
    ['ABC', 'abc', false],
  ])('matches %j against %j: %s', (value, pattern, expected) => {
    expect(wildcardMatches(value, pattern)).toBe(expected);
  });
});

describe('principals', () => {
  const everyone: TrustPolicy['Statement'][number]['Principal'][] = ['*', { AWS: '*' }];

  it.each(everyone)('lets %j stand for every principal', (Principal) => {
    const policy: TrustPolicy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal, Action: 'sts:AssumeRoleWithWebIdentity' }],
    };

    const decision = evaluateTrustPolicy(policy, {
      federatedPrincipal: PRINCIPAL,
      action: 'sts:AssumeRoleWithWebIdentity',
      context: new Map(),
    });

    expect(decision).toBe('allow');
  });
});
