import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AuditEvent } from '../audit/audit-event.js';

/**
 * The names of the metrics the functions emit, in one place: the alarms in
 * ops/alarms.yml and docs/audit.md name the same ones, and the
 * template test checks the alarms against this list.
 */
const metricNames = {
  requests: 'Requests',
  issued: 'CredentialsIssued',
  denied: 'Denied',
  deniedByReason: 'DeniedByReason',
  failed: 'Failed',
  stsCalls: 'StsCalls',
  stsFailures: 'StsFailures',
  stsLatency: 'StsLatency',
  jwksFetches: 'JwksFetches',
  jwksFailures: 'JwksFailures',
  coldStart: 'ColdStart',
} as const;

const metricsNamespace = 'aurora-aad';

/**
 * The functions' metrics, in CloudWatch embedded metric format: one JSON
 * line on stdout per flush, which CloudWatch turns into metrics without an
 * API call, so the function's role needs no `cloudwatch:PutMetricData`.
 * Every metric carries the `service` and `stage` dimensions (the stage from
 * AURORA_AAD_STAGE, which serverless.yml sets), so the stages of one
 * account keep their own alarms. Created once per function instance;
 * `logMetrics` in shared/http/route.ts flushes it after every request.
 */
const metrics = new Metrics({
  namespace: metricsNamespace,
  serviceName: 'aurora-aad',
  defaultDimensions: { stage: process.env.AURORA_AAD_STAGE || 'local' },
});

/**
 * Counts a request's outcome from its audit event, so the metrics and the
 * audit log can never disagree. Refusals are counted twice: once in the
 * total that the denial alarm watches, once under their reason code (a
 * metric of its own, flushed at once, because its extra dimension must not
 * apply to the other metrics of the request).
 */
function recordOutcome(event: AuditEvent): void {
  metrics.addMetric(metricNames.requests, MetricUnit.Count, 1);
  if (event.event === 'credential.issued') {
    metrics.addMetric(metricNames.issued, MetricUnit.Count, 1);
  }
  if (event.status >= 500) {
    metrics.addMetric(metricNames.failed, MetricUnit.Count, 1);
  } else if (event.status >= 400) {
    metrics.addMetric(metricNames.denied, MetricUnit.Count, 1);
    const byReason = metrics.singleMetric();
    byReason.addDimension('reason_code', event.reason_code);
    byReason.addMetric(metricNames.deniedByReason, MetricUnit.Count, 1);
  }
}

export { metrics, metricNames, metricsNamespace, recordOutcome };
