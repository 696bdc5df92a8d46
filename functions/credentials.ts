import { issueCredentials } from '../shared/credentials/issue-credentials.js';
import { httpRoute } from '../shared/http/route.js';
import { createRuntime } from '../shared/runtime.js';

// Settings and mapping are validated here, at start: a bad value fails the
// start with the setting's name instead of failing a request later.
const runtime = createRuntime();

/** POST /v1/credentials */
const handler = httpRoute({
  name: 'credential',
  success: 'issued',
  jsonBody: true,
  logger: runtime.logger,
  fingerprintKey: runtime.settings.tokenFingerprintKey,
  handle: (request) => issueCredentials(runtime, request),
});

export { handler };
