/**
 * What the stand-in remembers between the steps of a user sign-in: pending
 * device authorizations, pending authorize requests, issued authorization
 * codes and refresh tokens. In memory only, like the signing keys: a
 * restart signs everybody out.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Tenant, User } from './directory.js';

/** The scopes a client asked for, split the way Entra splits them. */
interface RequestedScopes {
  /** The API resource the access token is for (App ID URI or client id). */
  readonly resource: string;
  /** `openid`, `profile`, `email`, `offline_access` as asked. */
  readonly oidc: readonly string[];
}

/** One device-code sign-in, from `/devicecode` until redeemed or expired. */
interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly tenant: Tenant;
  readonly clientId: string;
  readonly scopes: RequestedScopes;
  readonly expiresAt: number;
  interval: number;
  lastPollAt: number | undefined;
  approvedBy: User | undefined;
  declined: boolean;
  redeemed: boolean;
}

/** An authorize request waiting for the developer to pick a user. */
interface PendingAuthorization {
  readonly id: string;
  readonly tenant: Tenant;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: RequestedScopes;
  readonly state: string | undefined;
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly expiresAt: number;
}

/** An authorization code, bound to its request's client, redirect and PKCE challenge. */
interface AuthorizationCode extends Omit<PendingAuthorization, 'id'> {
  readonly code: string;
  readonly user: User;
  redeemed: boolean;
}

/** A refresh token's grant: who, for which client and scopes. */
interface RefreshGrant {
  readonly tenant: Tenant;
  readonly clientId: string;
  readonly scopes: RequestedScopes;
  readonly user: User;
}

/** All sign-in state of one stand-in. */
interface SignInStore {
  readonly devices: Map<string, DeviceAuthorization>;
  readonly pending: Map<string, PendingAuthorization>;
  readonly codes: Map<string, AuthorizationCode>;
  readonly refreshTokens: Map<string, RefreshGrant>;
}

function createSignInStore(): SignInStore {
  return { devices: new Map(), pending: new Map(), codes: new Map(), refreshTokens: new Map() };
}

/** An opaque value: Entra's codes and refresh tokens are opaque to clients too. */
function opaqueValue(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

/** Nine letters without look-alikes, like Entra's user codes. */
function userCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 9 }, () => letters[randomInt(letters.length)]).join('');
}

export { createSignInStore, opaqueValue, userCode };
export type {
  AuthorizationCode,
  DeviceAuthorization,
  PendingAuthorization,
  RefreshGrant,
  RequestedScopes,
  SignInStore,
};
