import { describe, expect, it } from 'vitest';
import {
  DirectoryError,
  findPrincipal,
  findTenant,
  loadDirectory,
  parseDirectory,
  tenantByName,
} from '../../local/entra/directory.js';

const MINIMAL = `api:
  clientId: 37d3ab52-f90d-4e7b-a6bb-b89f98b6817b
  appIdUri: api://aurora-aad
  scope: Credentials.Issue
  appRole: Credentials.Issue.All
tenants:
  - id: cfe917f4-2d4b-4269-87e5-caaf86008490
    name: contoso-dev
    domain: contoso.onmicrosoft.com
groups:
  - id: db21df36-d5e5-4941-b40e-13dfd8f13fe4
    name: orders-readers
clients:
  - id: 25ce2d9b-f6d1-4338-aa1d-fb9a47af4754
    name: aurora-aad-cli
users:
  - name: alice
    tenant: contoso-dev
    oid: c87be44a-faf5-4c45-addf-91578618fbca
    upn: alice@contoso.onmicrosoft.com
    displayName: Alice Example
    groups: [orders-readers]
`;

describe('loadDirectory', () => {
  it('loads the checked-in directory with names resolved to ids', async () => {
    const directory = await loadDirectory();
    const alice = findPrincipal(directory, 'alice');
    const bob = findPrincipal(directory, 'bob');
    const billing = findPrincipal(directory, 'billing-service');

    expect(directory.api).toEqual({
      clientId: '37d3ab52-f90d-4e7b-a6bb-b89f98b6817b',
      appIdUri: 'api://aurora-aad',
      scope: 'Credentials.Issue',
      appRole: 'Credentials.Issue.All',
      accessTokenVersion: 2,
    });
    expect(directory.cliClient.id).toBe('25ce2d9b-f6d1-4338-aa1d-fb9a47af4754');
    expect(alice).toMatchObject({
      kind: 'user',
      tenant: { id: 'cfe917f4-2d4b-4269-87e5-caaf86008490', name: 'contoso-dev' },
      groupIds: [
        'db21df36-d5e5-4941-b40e-13dfd8f13fe4',
        '11711fa3-b0a0-4dce-96e7-dc323d319c72',
      ],
      overage: false,
    });
    expect(bob).toMatchObject({ homeTenant: { name: 'fabrikam-dev' } });
    expect(billing).toMatchObject({
      kind: 'app',
      appRoles: ['Credentials.Issue.All', 'Inventory.Write'],
    });
  });

  it('finds tenants by GUID in any case, by domain and by name', async () => {
    const directory = await loadDirectory();

    const upperCase = 'CFE917F4-2D4B-4269-87E5-CAAF86008490';

    expect(findTenant(directory, upperCase)?.name).toBe('contoso-dev');
    expect(findTenant(directory, 'fabrikam.onmicrosoft.com')?.name).toBe('fabrikam-dev');
    expect(findTenant(directory, 'common')).toBeUndefined();
    expect(tenantByName(directory, 'fabrikam-dev')?.id).toBe(
      '77022e91-1483-4de8-bc89-49f715bafe49',
    );
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadDirectory('/nonexistent/directory.yaml')).rejects.toThrow(
      'Cannot read the Entra stand-in directory /nonexistent/directory.yaml.',
    );
  });
});

describe('parseDirectory', () => {
  it('defaults accessTokenVersion to 2 and groups, guest and overage to empty or false', () => {
    const directory = parseDirectory(MINIMAL);

    expect(directory.api.accessTokenVersion).toBe(2);
    expect(directory.apps).toEqual([]);
    expect(directory.users[0]).toMatchObject({ homeTenant: undefined, overage: false });
  });

  it('names the line of an unknown group', () => {
    const text = MINIMAL.replace('groups: [orders-readers]', 'groups: [orders-auditors]');

    expect(() => parseDirectory(text, 'dev.yaml')).toThrow(
      'dev.yaml:22: users.0.groups.0: no group named "orders-auditors" (known: orders-readers)',
    );
  });

  it('names the line of a malformed GUID', () => {
    const text = MINIMAL.replace('oid: c87be44a-faf5-4c45-addf-91578618fbca', 'oid: alice');

    expect(() => parseDirectory(text, 'dev.yaml')).toThrow(
      'dev.yaml:19: users.0.oid: Invalid GUID',
    );
  });

  it('refuses a guest without a home tenant', () => {
    const text = `${MINIMAL}    guest: true\n`;

    expect(() => parseDirectory(text, 'dev.yaml')).toThrow(
      'dev.yaml:17: users.0: a guest needs homeTenant (the idp)',
    );
  });

  it('refuses an unknown field instead of ignoring it', () => {
    const text = `${MINIMAL}    overaged: true\n`;

    expect(() => parseDirectory(text)).toThrow(DirectoryError);
  });

  it('reports YAML syntax errors with the source name', () => {
    expect(() => parseDirectory('api: [unclosed', 'broken.yaml')).toThrow(/^broken\.yaml: /);
  });
});
