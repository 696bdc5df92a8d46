/**
 * Who is asking, as established from a verified Entra access token.
 * Identity is `tenantId` + `objectId`; `displayName` is a mutable hint for
 * people reading logs, never a key.
 */
interface Caller {
  tenantId: string;
  objectId: string;
  principalType: 'user' | 'app';
  /** "1.0" or "2.0", from the token's `ver` claim. */
  tokenVersion: '1.0' | '2.0';
  /** The client application that obtained the token (appid / azp). */
  appId: string | undefined;
  /** upn, preferred_username or unique_name; guests carry #EXT# here. */
  displayName: string | undefined;
  groups: readonly string[];
  appRoles: readonly string[];
  scopes: readonly string[];
  /** Entra left out `groups` because the caller is in too many of them. */
  groupsOverage: boolean;
}

export type { Caller };
