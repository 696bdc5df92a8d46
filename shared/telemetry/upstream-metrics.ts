import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FetchImplementation } from 'jose';
import { metricNames, metrics } from './metrics.js';

/**
 * Runs one STS call and records its latency and whether it failed, for the
 * STS failure-rate alarm and the latency graph. It wraps exactly the SDK
 * call, `timeStsCall(() => sts.send(command))` in assume-grant-role.ts;
 * the result or the error passes through untouched.
 */
async function timeStsCall<T>(call: () => Promise<T>): Promise<T> {
  const startedAt = performance.now();
  metrics.addMetric(metricNames.stsCalls, MetricUnit.Count, 1);
  try {
    return await call();
  } catch (error) {
    metrics.addMetric(metricNames.stsFailures, MetricUnit.Count, 1);
    throw error;
  } finally {
    metrics.addMetric(metricNames.stsLatency, MetricUnit.Milliseconds,
      Math.round(performance.now() - startedAt));
  }
}

/**
 * A fetch for jose's remote key sets that counts every key-set fetch (a
 * cold start or a refresh on an unknown `kid`) and every failed one, for
 * the JWKS failure-rate alarm. jose still decides when to fetch and what
 * the answer means.
 */
function countedJwksFetch(
  fetchKeys: FetchImplementation = fetch,
): FetchImplementation {
  return async (url, options) => {
    metrics.addMetric(metricNames.jwksFetches, MetricUnit.Count, 1);
    try {
      const response = await fetchKeys(url, options);
      if (!response.ok) {
        metrics.addMetric(metricNames.jwksFailures, MetricUnit.Count, 1);
      }
      return response;
    } catch (error) {
      metrics.addMetric(metricNames.jwksFailures, MetricUnit.Count, 1);
      throw error;
    }
  };
}

export { countedJwksFetch, timeStsCall };
