import type { Caller } from '../identity/caller.js';

/**
 * The caller as STS source identity: 2-64 characters of `[\w+=,.@-]`, not
 * starting with "aws:". Source identity cannot be changed for the rest of
 * the session, and CloudTrail records it on every call, so it names the
 * person (or app) behind the request: the UPN's home part for users
 * (a guest's `#EXT#` form reduced to the home address), `app-<oid>` for
 * applications, the object id when no usable name exists.
 */
function sourceIdentity(caller: Caller): string {
  if (caller.principalType === 'app') return `app-${caller.objectId}`;

  const home = (caller.displayName ?? '').split('#EXT#')[0] ?? '';
  // Cleaning removes every ":", so no value can start with "aws:".
  const cleaned = home.replace(/[^\w+=,.@-]+/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : caller.objectId;
}

export { sourceIdentity };
