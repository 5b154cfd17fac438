import { sharedLoadScenario } from './shared-load.js';

/**
 * pooling.normal_load: 20 concurrent workers x 10 iterations (200 requests at scale 1; the
 * iterations scale, the concurrency never does) of a repository read (getById of a random seeded
 * user through `db.read`) on the gate's data layer, its pool warmed first and sampled every 2 ms.
 * Criteria: every request made, error rate < 1%, the pool never over its max, back to 0 in use,
 * the server's count of the data layer's connections back to where it started (connections_released).
 * The latency targets (avg < 100 ms, p95 < 200 ms) are thresholds.json's; recorded here.
 */
export const normalLoad = sharedLoadScenario({
  id: 'pooling.normal_load',
  concurrency: 20,
  iterations: 10,
  maxErrorRate: 0.01,
  expectQueueing: false,
});
