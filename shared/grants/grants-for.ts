import type { Mapping, Rule, Target } from '../config/mapping-schema.js';
import { ApiError } from '../errors/api-error.js';
import type { Caller } from '../identity/caller.js';

/** One thing a rule lets the caller have. */
interface Grant {
  ruleId: string;
  targetName: string;
  target: Target;
  dbUser: string;
  roleArn: string;
}

/**
 * Every grant the caller holds, in the mapping's rule order. A rule matches
 * when any of its groups, app roles or principal object ids is the caller's.
 * Nothing is granted that no rule names (deny by default).
 */
function grantsFor(caller: Caller, mapping: Mapping): Grant[] {
  return mapping.rules
    .filter((rule) => matches(rule, caller))
    .map((rule) => ({
      ruleId: rule.id,
      targetName: rule.grant.target,
      target: mapping.targets[rule.grant.target]!,
      dbUser: rule.grant.dbUser,
      roleArn: rule.grant.roleArn,
    }));
}

/**
 * The grant that answers a request for `targetName` (and `dbUser`, when
 * given). Precedence: the first matching rule in file order wins, so a
 * principal-specific rule placed above a group rule overrides it.
 *
 * @throws ApiError groups_overage when the caller's groups are unknown and
 *   no rule that ignores groups answers; db_user_required when several
 *   database users are granted and none was named; no_grant otherwise.
 */
function selectGrant(
  caller: Caller,
  mapping: Mapping,
  targetName: string,
  dbUser: string | undefined,
): Grant {
  const forTarget = grantsFor(caller, mapping)
    .filter((grant) => grant.targetName === targetName);
  const chosen = dbUser === undefined
    ? forTarget
    : forTarget.filter((grant) => grant.dbUser === dbUser);

  const dbUsers = [...new Set(chosen.map((grant) => grant.dbUser))];
  if (dbUsers.length > 1) {
    throw new ApiError(
      'db_user_required',
      `You are granted several database users on ${targetName}; name one ` +
        'in dbUser.',
      { extensions: { dbUsers } },
    );
  }
  const [grant] = chosen;
  if (grant) return grant;

  refuseOverage(caller, mapping);
  throw new ApiError(
    'no_grant',
    `No rule grants you ${dbUser ? `database user ${dbUser} on ` : ''}` +
      `target ${targetName}. GET /v1/targets lists what you may request.`,
  );
}

/**
 * Refuses with groups_overage when Entra left the caller's groups out of
 * the token (over 200 groups) and some rule depends on groups: an empty
 * group list would be a guess, not an answer.
 */
function refuseOverage(caller: Caller, mapping: Mapping): void {
  if (caller.groupsOverage && mapping.rules.some((rule) => rule.when.groups)) {
    throw new ApiError(
      'groups_overage',
      'Your token carries a group overage marker instead of your groups. ' +
        'Ask the API\'s Entra app registration to emit only groups assigned ' +
        'to the application (groupMembershipClaims: ApplicationGroup).',
    );
  }
}

function matches(rule: Rule, caller: Caller): boolean {
  const { groups, appRoles, principals } = rule.when;
  return (groups ?? []).some((group) => caller.groups.includes(group)) ||
    (appRoles ?? []).some((role) => caller.appRoles.includes(role)) ||
    (principals ?? []).includes(caller.objectId);
}

export { grantsFor, selectGrant, refuseOverage };
export type { Grant };
