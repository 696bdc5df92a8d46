import { describe, expect, it } from 'vitest';
import { loadMapping } from '../../shared/config/mapping.js';
import { ApiError } from '../../shared/errors/api-error.js';
import { grantsFor, selectGrant } from '../../shared/grants/grants-for.js';
import { aCaller } from '../support/callers.js';

const mapping = loadMapping('config/mapping.yaml');
const readers = 'db21df36-d5e5-4941-b40e-13dfd8f13fe4';
const writers = '11711fa3-b0a0-4dce-96e7-dc323d319c72';
const billing = 'f3773758-2772-49cf-9158-ea94c265b3bb';

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return (error as ApiError).code;
  }
  throw new Error('nothing was thrown');
}

describe('grantsFor', () => {
  it('grants nothing to a caller no rule names', () => {
    expect(grantsFor(aCaller(), mapping)).toEqual([]);
  });

  it('matches rules by group, in file order', () => {
    const grants = grantsFor(aCaller({ groups: [readers, writers] }), mapping);

    expect(grants.map((grant) => [grant.ruleId, grant.dbUser])).toEqual([
      ['orders-writers', 'app_writer'],
      ['orders-readers', 'app_reader'],
    ]);
  });

  it('matches rules by app role and by principal object id', () => {
    const caller = aCaller({
      principalType: 'app', objectId: billing, appRoles: ['Inventory.Write'],
    });

    expect(grantsFor(caller, mapping).map((grant) => grant.ruleId)).toEqual([
      'billing-orders-reader', 'inventory-writers',
    ]);
  });
});

describe('selectGrant', () => {
  it('picks the only database user when none is named', () => {
    const grant = selectGrant(aCaller({ groups: [readers] }), mapping,
      'orders-prod', undefined);

    expect(grant).toMatchObject({
      ruleId: 'orders-readers',
      dbUser: 'app_reader',
      roleArn: 'arn:aws:iam::111122223333:role/aurora-orders-reader',
    });
  });

  it('asks for dbUser when several are granted, listing them', () => {
    const caller = aCaller({ groups: [readers, writers] });
    let refusal: ApiError | undefined;
    try {
      selectGrant(caller, mapping, 'orders-prod', undefined);
    } catch (error) {
      refusal = error as ApiError;
    }

    expect(refusal?.code).toBe('db_user_required');
    expect(refusal?.extensions.dbUsers).toEqual(['app_writer', 'app_reader']);
  });

  it('picks the named database user among several', () => {
    const grant = selectGrant(aCaller({ groups: [readers, writers] }), mapping,
      'orders-prod', 'app_reader');

    expect(grant.ruleId).toBe('orders-readers');
  });

  it('refuses a database user no rule grants', () => {
    const code = codeOf(() => selectGrant(aCaller({ groups: [readers] }),
      mapping, 'orders-prod', 'app_writer'));

    expect(code).toBe('no_grant');
  });

  it('refuses an unknown target like an ungranted one', () => {
    const code = codeOf(() => selectGrant(aCaller({ groups: [readers] }),
      mapping, 'payroll', undefined));

    expect(code).toBe('no_grant');
  });

  it('refuses a group overage with its own code, never as "no groups"', () => {
    const code = codeOf(() => selectGrant(aCaller({ groupsOverage: true }),
      mapping, 'orders-prod', undefined));

    expect(code).toBe('groups_overage');
  });

  it('still answers an overage caller from a rule that ignores groups', () => {
    const caller = aCaller({ objectId: billing, groupsOverage: true });

    expect(selectGrant(caller, mapping, 'orders-prod', undefined).ruleId)
      .toBe('billing-orders-reader');
  });
});
