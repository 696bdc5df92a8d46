import { grantsFor, refuseOverage } from '../grants/grants-for.js';
import { verifyEntraToken } from '../identity/verify-entra-token.js';
import type { RouteRequest } from '../http/route.js';
import type { Runtime } from '../runtime.js';
import { connectionFacts } from './credential-response.js';
import type { ConnectionFacts } from './credential-response.js';

/** One entry of GET /v1/targets: a target and the users granted on it. */
interface TargetListing {
  target: string;
  dbUsers: string[];
  connection: ConnectionFacts;
}

/**
 * GET /v1/targets: what the caller may request, without any token. A
 * caller whose groups Entra left out cannot be given a complete list and is
 * refused with groups_overage rather than shown a partial one.
 */
async function listTargets(
  runtime: Runtime,
  { token, audit }: RouteRequest,
): Promise<{ targets: TargetListing[] }> {
  const caller = await verifyEntraToken(token, runtime.verify);
  audit.caller(caller);
  refuseOverage(caller, runtime.mapping);

  const byTarget = new Map<string, TargetListing>();
  for (const grant of grantsFor(caller, runtime.mapping)) {
    const listing = byTarget.get(grant.targetName) ?? {
      target: grant.targetName,
      dbUsers: [],
      connection: connectionFacts(grant.target),
    };
    if (!listing.dbUsers.includes(grant.dbUser)) listing.dbUsers.push(grant.dbUser);
    byTarget.set(grant.targetName, listing);
  }
  return { targets: [...byTarget.values()] };
}

export { listTargets };
export type { TargetListing };
