import { afterEach, describe, expect, it, vi } from 'vitest';
import { trustPoliciesCommand } from '../../cli/commands/trust-policies.js';

function capture(stream: NodeJS.WriteStream) {
  const chunks: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join('');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('aurora-aad trust-policies', () => {
  it('prints the provider and each role\'s policy for the issuer as tokens state it', async () => {
    const stdout = capture(process.stdout);

    const code = await trustPoliciesCommand.run(['--issuer', 'https://api.example.com/']);

    const printed = JSON.parse(stdout());
    expect(code).toBe(0);
    expect(printed.oidcProviders).toEqual([{
      arn: 'arn:aws:iam::111122223333:oidc-provider/api.example.com',
      cloudFormation: {
        Type: 'AWS::IAM::OIDCProvider',
        Properties: { Url: 'https://api.example.com', ClientIdList: ['sts.amazonaws.com'] },
      },
    }]);
    expect(printed.roles.map((role: { roleArn: string }) => role.roleArn)).toEqual([
      'arn:aws:iam::111122223333:role/aurora-orders-reader',
      'arn:aws:iam::111122223333:role/aurora-orders-writer',
      'arn:aws:iam::111122223333:role/aurora-inventory-writer',
    ]);
    expect(printed.roles[1].trustPolicy.Statement[0].Condition.StringEquals).toEqual({
      'api.example.com:aud': 'sts.amazonaws.com',
      'api.example.com:sub': 'rule/orders-writers',
    });
  });

  it.each([
    ['plain http off the loopback', 'http://api.example.com'],
    ['a look-alike of the loopback', 'http://127.0.0.1.evil.example'],
    ['no issuer at all', undefined],
  ])('refuses %s with exit code 2', async (_, issuer) => {
    const stderr = capture(process.stderr);
    const stdout = capture(process.stdout);

    const code = await trustPoliciesCommand.run(issuer ? ['--issuer', issuer] : []);

    expect(code).toBe(2);
    expect(stderr()).toContain('--issuer must be the API\'s https URL');
    expect(stdout()).toBe('');
  });
});
