import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AssumeOutcome } from './assume.js';

/**
 * One decision of the stand-in, in the shape CloudTrail records
 * AssumeRoleWithWebIdentity. It carries no web identity token, secret access
 * key or session token: what lets an auditor correlate is the access key id.
 */
interface TrailEvent {
  readonly eventVersion: '1.08';
  readonly eventTime: string;
  readonly eventSource: 'sts.amazonaws.com';
  readonly eventName: 'AssumeRoleWithWebIdentity';
  readonly eventType: 'AwsApiCall';
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  /** Filled from the token's claims only once its signature has verified. */
  readonly userIdentity: {
    readonly type: 'WebIdentityUser';
    readonly principalId?: string;
    readonly userName?: string;
    readonly identityProvider?: string;
  };
  readonly requestParameters: {
    readonly roleArn?: string;
    readonly roleSessionName?: string;
    readonly durationSeconds?: number;
    readonly policy?: string;
    readonly providerId?: string;
    readonly sourceIdentity?: string;
    readonly principalTags?: Record<string, string>;
    readonly transitiveTagKeys?: readonly string[];
  } | null;
  readonly responseElements: {
    readonly credentials: { readonly accessKeyId: string; readonly expiration: string };
    readonly assumedRoleUser: { readonly arn: string; readonly assumedRoleId: string };
    readonly provider: string;
    readonly audience: string;
    readonly subjectFromWebIdentityToken: string;
    readonly packedPolicySize?: number;
    readonly sourceIdentity?: string;
  } | null;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: true;
  readonly recipientAccountId: string;
  readonly eventCategory: 'Management';
}

/** Where and from whom a request came, as the server saw it. */
interface RequestOrigin {
  readonly requestId: string;
  readonly time: Date;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/**
 * Keeps the stand-in's decisions in memory for tests and, when a file is
 * given, appends each as one JSON line so a running stack can be audited with
 * ordinary tools. Writes are synchronous so the file order is the decision order.
 */
class Trail {
  readonly events: TrailEvent[] = [];
  readonly #file: string | undefined;

  constructor(file: string | undefined) {
    this.#file = file;
    if (file !== undefined) mkdirSync(dirname(file), { recursive: true });
  }

  record(event: TrailEvent): void {
    this.events.push(event);
    if (this.#file !== undefined) appendFileSync(this.#file, `${JSON.stringify(event)}\n`);
  }
}

/** Builds the trail event for a decided request, success or refusal. */
function trailEventFor(
  outcome: AssumeOutcome,
  origin: RequestOrigin,
  context: { readonly region: string; readonly accountId: string },
): TrailEvent {
  const { request, identity, session, result, error } = outcome;

  const userIdentity: TrailEvent['userIdentity'] = identity
    ? {
        type: 'WebIdentityUser',
        principalId: `${identity.provider.key}:${identity.audience}:${identity.subject}`,
        userName: identity.subject,
        identityProvider: identity.provider.key,
      }
    : { type: 'WebIdentityUser' };

  const requestParameters: TrailEvent['requestParameters'] = request
    ? {
        roleArn: request.roleArn,
        roleSessionName: request.roleSessionName,
        ...(request.durationSeconds !== undefined && {
          durationSeconds: request.durationSeconds,
        }),
        ...(request.policy !== undefined && { policy: request.policy }),
        ...(request.providerId !== undefined && { providerId: request.providerId }),
        ...(session?.sourceIdentity !== undefined && { sourceIdentity: session.sourceIdentity }),
        ...(session !== undefined &&
          session.tags.length > 0 && {
            principalTags: Object.fromEntries(session.tags.map((tag) => [tag.key, tag.value])),
          }),
        ...(session !== undefined &&
          session.transitiveTagKeys.length > 0 && {
            transitiveTagKeys: session.transitiveTagKeys,
          }),
      }
    : null;

  const responseElements: TrailEvent['responseElements'] = result
    ? {
        credentials: {
          accessKeyId: result.credentials.accessKeyId,
          expiration: result.credentials.expiration,
        },
        assumedRoleUser: result.assumedRoleUser,
        provider: result.provider,
        audience: result.audience,
        subjectFromWebIdentityToken: result.subjectFromWebIdentityToken,
        ...(result.packedPolicySize !== undefined && {
          packedPolicySize: result.packedPolicySize,
        }),
        ...(result.sourceIdentity !== undefined && { sourceIdentity: result.sourceIdentity }),
      }
    : null;

  return {
    eventVersion: '1.08',
    eventTime: origin.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    eventType: 'AwsApiCall',
    awsRegion: context.region,
    sourceIPAddress: origin.sourceIp,
    userAgent: origin.userAgent,
    userIdentity,
    requestParameters,
    responseElements,
    ...(error !== undefined && { errorCode: error.code, errorMessage: error.message }),
    requestID: origin.requestId,
    eventID: randomUUID(),
    readOnly: true,
    recipientAccountId: context.accountId,
    eventCategory: 'Management',
  };
}

export { Trail, trailEventFor };
export type { RequestOrigin, TrailEvent };
