import { sharedLoadScenario } from './shared-load.js';

/**
 * pooling.high_load: 100 concurrent workers x 5 iterations (500 requests at scale 1; the
 * iterations scale, the concurrency never does) of getById through `db.read` on the gate's data
 * layer, far more workers than the pool has connections, so requests must queue for one.
 * Criteria: every request made, error rate < 5%, requests seen waiting for a connection
 * (queueing worked), the pool never over its max, back to 0 in use, the server's count of the
 * data layer's connections back to where it started (connections_released). The avg < 500 ms target is
 * thresholds.json's; recorded here.
 */
export const highLoad = sharedLoadScenario({
  id: 'pooling.high_load',
  concurrency: 100,
  iterations: 5,
  maxErrorRate: 0.05,
  expectQueueing: true,
});
