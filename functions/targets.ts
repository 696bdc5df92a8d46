import { listTargets } from '../shared/credentials/list-targets.js';
import { httpRoute } from '../shared/http/route.js';
import { createRuntime } from '../shared/runtime.js';

const runtime = createRuntime();

/** GET /v1/targets */
const handler = httpRoute({
  name: 'targets',
  success: 'listed',
  jsonBody: false,
  logger: runtime.logger,
  fingerprintKey: runtime.settings.tokenFingerprintKey,
  handle: (request) => listTargets(runtime, request),
});

export { handler };
