import { printSection } from './table.js';

/** Who asks for credentials, how often, and from how many processes. */
interface Population {
  label: string;
  /** Distinct (caller, grant) pairs: the session cache's keys. */
  identities: number;
  /** Client processes per identity, each with its own SDK/CLI cache. */
  processesPerIdentity: number;
  /**
   * Pool clients (services) ask again at every `refreshAfter`; people ask
   * only when they open a connection after their cached token's
   * `refreshAfter`, a few times an hour.
   */
  kind: 'pool' | 'person';
  /** People: mean minutes between connections they open. */
  meanMinutesBetweenConnections?: number;
}

interface Fleet {
  /** Warm Lambda environments serving requests at once. */
  environments: number;
  /** An environment is recycled (empty cache) after this many minutes on average. */
  meanLifetimeMinutes: number;
}

const sessionMs = 900_000;
const marginMs = 300_000;
const tokenMs = 900_000;

// A seeded generator, so every run prints the same figures.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value ^= value + Math.imul(value ^ (value >>> 7), 61 | value);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Simulates a working day of requests against `fleet`: each request goes
 * to a random live environment, whose session cache behaves as
 * shared/sts/session-cache.ts does (900 s sessions, handed out while 5
 * minutes remain). Answers carry expiresAt = min(signing + 15 min, session
 * expiry) and refreshAfter two thirds of the way, which is when clients
 * come back. Returns STS calls and credentials issued.
 */
function simulate(populations: Population[], fleet: Fleet, hours: number,
  seed = 7): { stsCalls: number; issued: number } {
  const next = random(seed);
  const dayMs = hours * 3_600_000;
  const exponential = (meanMs: number) => -Math.log(1 - next()) * meanMs;
  const environments = Array.from({ length: fleet.environments }, () => ({
    cache: new Map<string, number>(),
    recycleAt: exponential(fleet.meanLifetimeMinutes * 60_000),
  }));

  // Each client: its identity, the time of its next request.
  const clients: Array<{ key: string; at: number; population: Population }> = [];
  populations.forEach((population, index) => {
    for (let identity = 0; identity < population.identities; identity += 1) {
      for (let process = 0; process < population.processesPerIdentity; process += 1) {
        clients.push({ key: `${index}/${identity}`, population,
          at: next() * 15 * 60_000 });
      }
    }
  });

  let stsCalls = 0;
  let issued = 0;
  for (;;) {
    let client = clients[0]!;
    for (const candidate of clients) if (candidate.at < client.at) client = candidate;
    const now = client.at;
    if (now >= dayMs) break;

    const environment = environments[Math.floor(next() * environments.length)]!;
    while (environment.recycleAt <= now) {
      environment.cache.clear();
      environment.recycleAt += exponential(fleet.meanLifetimeMinutes * 60_000);
    }
    let sessionExpiry = environment.cache.get(client.key);
    if (sessionExpiry === undefined || sessionExpiry - now < marginMs) {
      stsCalls += 1;
      sessionExpiry = now + sessionMs;
      environment.cache.set(client.key, sessionExpiry);
    }
    issued += 1;

    const expiresAt = Math.min(now + tokenMs, sessionExpiry);
    const refreshAfter = now + (expiresAt - now) * 2 / 3;
    const { population } = client;
    client.at = population.kind === 'pool'
      ? refreshAfter
      : Math.max(refreshAfter, now + exponential(
        (population.meanMinutesBetweenConnections ?? 20) * 60_000));
  }
  return { stsCalls, issued };
}

/**
 * Section 5: STS calls per issued credential over a simulated working day,
 * with and without the session cache's effect, for a mixed fleet and for
 * its parts.
 */
function benchStsCallRate(): void {
  const services: Population = { label: 'services: 30 identities x 12 pods',
    identities: 30, processesPerIdentity: 12, kind: 'pool' };
  const jobs: Population = { label: 'batch jobs: 20 identities x 40 workers',
    identities: 20, processesPerIdentity: 40, kind: 'pool' };
  const people: Population = { label: 'people: 300 engineers, 1 laptop each',
    identities: 300, processesPerIdentity: 1, kind: 'person',
    meanMinutesBetweenConnections: 20 };
  const fleet: Fleet = { environments: 6, meanLifetimeMinutes: 90 };
  const scenarios: Array<[string, Population[], Fleet]> = [
    ['mixed fleet (all three), 6 environments', [services, jobs, people], fleet],
    [services.label, [services], fleet],
    [jobs.label, [jobs], fleet],
    [people.label, [people], fleet],
    ['mixed fleet, 1 environment', [services, jobs, people],
      { environments: 1, meanLifetimeMinutes: 90 }],
    ['mixed fleet, 20 environments', [services, jobs, people],
      { environments: 20, meanLifetimeMinutes: 90 }],
  ];

  printSection('5. STS calls per issued credential, simulated 8-hour day ' +
    '(no cache: 1.00; recycled environments: mean 90 min)',
  ['scenario', 'issued'], scenarios.map(([label, populations, shape]) => {
    const { stsCalls, issued } = simulate(populations, shape, 8);
    return { label, value: String(issued), ratio: stsCalls / issued,
      note: `${stsCalls} STS calls` };
  }));
}

export { benchStsCallRate, simulate };
export type { Fleet, Population };
