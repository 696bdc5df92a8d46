import type { Caller } from '../../shared/identity/caller.js';

/** A verified caller, for tests of the steps after verification. */
function aCaller(overrides: Partial<Caller> = {}): Caller {
  return {
    tenantId: 'cfe917f4-2d4b-4269-87e5-caaf86008490',
    objectId: 'c87be44a-faf5-4c45-addf-91578618fbca',
    principalType: 'user',
    tokenVersion: '2.0',
    appId: '25ce2d9b-f6d1-4338-aa1d-fb9a47af4754',
    displayName: 'alice@contoso.onmicrosoft.com',
    groups: [],
    appRoles: [],
    scopes: ['Credentials.Issue'],
    groupsOverage: false,
    ...overrides,
  };
}

export { aCaller };
