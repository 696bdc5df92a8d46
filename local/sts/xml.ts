import type { AssumeResult } from './assume.js';

/** The XML namespace of every STS 2011-06-15 response. */
const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * Escapes a value for XML text. Characters XML 1.0 cannot carry at all (most
 * control characters) become U+FFFD, so a hostile claim can never break the
 * document an SDK parses.
 */
function escapeXml(value: string | number): string {
  return String(value)
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, value: string | number | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(value)}</${name}>`;
}

/** The body STS answers a successful AssumeRoleWithWebIdentity with. */
function assumeResponseXml(result: AssumeResult, requestId: string): string {
  const { credentials, assumedRoleUser } = result;
  return [
    `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NAMESPACE}">`,
    '<AssumeRoleWithWebIdentityResult>',
    element('SubjectFromWebIdentityToken', result.subjectFromWebIdentityToken),
    element('Audience', result.audience),
    '<AssumedRoleUser>',
    element('AssumedRoleId', assumedRoleUser.assumedRoleId),
    element('Arn', assumedRoleUser.arn),
    '</AssumedRoleUser>',
    '<Credentials>',
    element('AccessKeyId', credentials.accessKeyId),
    element('SecretAccessKey', credentials.secretAccessKey),
    element('SessionToken', credentials.sessionToken),
    element('Expiration', credentials.expiration),
    '</Credentials>',
    element('SourceIdentity', result.sourceIdentity),
    element('PackedPolicySize', result.packedPolicySize),
    element('Provider', result.provider),
    '</AssumeRoleWithWebIdentityResult>',
    '<ResponseMetadata>',
    element('RequestId', requestId),
    '</ResponseMetadata>',
    '</AssumeRoleWithWebIdentityResponse>',
    '',
  ].join('\n');
}

/** The body STS answers any refusal with; the SDKs read Code and Message from it. */
function errorResponseXml(
  error: { type: string; code: string; message: string },
  requestId: string,
): string {
  return [
    `<ErrorResponse xmlns="${STS_NAMESPACE}">`,
    '<Error>',
    element('Type', error.type),
    element('Code', error.code),
    element('Message', error.message),
    '</Error>',
    element('RequestId', requestId),
    '</ErrorResponse>',
    '',
  ].join('\n');
}

export { STS_NAMESPACE, assumeResponseXml, errorResponseXml, escapeXml };
