import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountFileError, loadAccount, parseAccount } from '../../local/sts/account.js';

const dir = mkdtempSync(join(tmpdir(), 'sts-account-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function accountText(role: object, extra: object = {}) {
  return JSON.stringify({
    account: '111122223333',
    oidcProviders: [
      { url: 'https://issuer.example.test/', clientIds: ['client'], jwksUri: '{entra}/keys' },
    ],
    roles: [role],
    ...extra,
  });
}

const goodRole = {
  name: 'reader',
  trustPolicy: {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Allow',
      Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/issuer.example.test/' },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
  },
};

describe('loadAccount', () => {
  it('loads the checked-in account with {entra} substituted', () => {
    const account = loadAccount(undefined, { entra: 'http://127.0.0.1:4010/' });

    expect(account.id).toBe('111122223333');
    expect(account.oidcProviders.map((provider) => provider.jwksUri)).toEqual([
      'http://127.0.0.1:4010/cfe917f4-2d4b-4269-87e5-caaf86008490/discovery/keys',
      'http://127.0.0.1:4010/cfe917f4-2d4b-4269-87e5-caaf86008490/discovery/v2.0/keys',
    ]);
    expect(account.oidcProviders[0]?.key).toBe(
      'sts.windows.net/cfe917f4-2d4b-4269-87e5-caaf86008490/',
    );
    expect(account.roles.map((role) => role.arn)).toContain(
      'arn:aws:iam::111122223333:role/aurora-orders-reader',
    );
    expect(account.roles.every((role) => role.maxSessionDuration === 3600)).toBe(true);
  });

  it('names {entra} when no base URL is given for it', () => {
    expect(() => loadAccount()).toThrow(/\{entra\}.*--entra/);
  });

  it('names the file it cannot read', () => {
    const path = join(dir, 'missing.yaml');

    expect(() => loadAccount(path)).toThrow(new RegExp(`Cannot read .*${path}`));
  });

  it('names the setting that is wrong, with its path', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, accountText({ ...goodRole, maxSessionDuration: 100 }));

    expect(() => loadAccount(path, { entra: 'http://127.0.0.1:1' })).toThrow(
      /bad\.yaml has invalid settings: roles\.0\.maxSessionDuration/,
    );
  });

  it('normalises a single statement into a list', () => {
    const account = parseAccount(accountText(goodRole), { entra: 'http://127.0.0.1:1' });

    expect(account.roles[0]?.trustPolicy.Statement).toHaveLength(1);
  });

  it.each([
    ['an unknown condition operator', { NumericLessThan: { 'sts:x': '1' } }, 'operator'],
    [
      'a policy variable',
      { StringLike: { 'sts:RoleSessionName': '${aws:username}' } },
      'policy variables',
    ],
  ])('refuses %s', (_title, Condition, fragment) => {
    const statement = { ...goodRole.trustPolicy.Statement, Condition };
    const role = { ...goodRole, trustPolicy: { ...goodRole.trustPolicy, Statement: statement } };

    const attempt = () => parseAccount(accountText(role), { entra: 'http://127.0.0.1:1' });

    expect(attempt).toThrow(AccountFileError);
    expect(attempt).toThrow(new RegExp(`roles\\.0\\.trustPolicy\\.Statement.*${fragment}`));
  });

  it('refuses a misspelt key rather than ignoring it', () => {
    const role = { ...goodRole, maxSessionDurration: 3600 };

    expect(() => parseAccount(accountText(role), { entra: 'http://x' })).toThrow(
      /roles\.0.*maxSessionDurration/,
    );
  });

  it('refuses a provider URL that is not https', () => {
    const text = accountText(goodRole, {
      oidcProviders: [
        { url: 'http://issuer.example.test/', clientIds: ['c'], jwksUri: 'http://x/k' },
      ],
    });

    expect(() => parseAccount(text)).toThrow(/oidcProviders\.0\.url: must be an https/);
  });

  it('refuses YAML that does not parse, naming the line', () => {
    expect(() => parseAccount('account: "1\nroles: [', {}, 'broken.yaml')).toThrow(
      /broken\.yaml is not valid YAML.*line/s,
    );
  });
});
