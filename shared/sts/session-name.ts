import type { Caller } from '../identity/caller.js';

const maxLength = 64;
const notAllowed = /[^\w+=,.@-]+/g;

/**
 * The RoleSessionName for a caller: a readable hint followed by the object
 * id, e.g. `alice@contoso.onmicrosoft.com.c87be44a-...`. STS allows 2-64
 * characters of `[\w+=,.@-]`, so the hint is cleaned and cut to fit while
 * the object id (the real identity) is always kept whole. For guests the
 * `#EXT#` suffix is dropped and the home identity kept
 * (`bob_fabrikam.com#EXT#@contoso...` becomes `bob_fabrikam.com`).
 *
 * CloudTrail records this name on every call the session makes.
 */
function roleSessionName(caller: Caller): string {
  const hint = caller.principalType === 'app' ? 'app' : cleanHint(caller);
  const room = maxLength - caller.objectId.length - 1;
  // A UPN too long to fit keeps its readable part, the name before the @.
  const fitting = hint.length > room ? (hint.split('@')[0] ?? '') : hint;
  // Still too long: cut, then drop the part-word the cut left behind.
  const cut = fitting.length > room
    ? fitting.slice(0, room).replace(/[._-][^._-]*$/, '')
    : fitting;
  const trimmed = cut.replace(/[.@=,+-]+$/, '');
  return trimmed ? `${trimmed}.${caller.objectId}` : caller.objectId;
}

function cleanHint(caller: Caller): string {
  const name = caller.displayName ?? '';
  const home = name.split('#EXT#')[0] ?? '';
  return home.replace(notAllowed, '-');
}

export { roleSessionName };
