/** How many times to run a measured operation, and how many runs to discard first. */
interface SampleOptions {
  iterations: number;
  warmup: number;
}

/** The median and spread of one measured operation, in microseconds. */
interface Timing {
  medianUs: number;
  p10Us: number;
  p90Us: number;
  iterations: number;
}

/**
 * Times `operation` one call at a time and reports the median: a median
 * ignores the garbage-collection pauses and scheduler hiccups that make a
 * mean of microsecond operations meaningless. Warm-up runs first so the
 * JIT, caches and keep-alive state are what a warm function would see.
 */
async function timeOf(
  operation: () => unknown,
  { iterations, warmup }: SampleOptions,
): Promise<Timing> {
  for (let index = 0; index < warmup; index += 1) await operation();

  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index += 1) {
    const start = process.hrtime.bigint();
    await operation();
    samples[index] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  const at = (share: number) => samples[Math.floor(share * (iterations - 1))]!;
  return { medianUs: at(0.5), p10Us: at(0.1), p90Us: at(0.9), iterations };
}

export { timeOf };
export type { SampleOptions, Timing };
