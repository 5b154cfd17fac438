import type { ScenarioDefinition } from '../scenario.js';
import { circuitBreaker } from './circuit-breaker.js';
import { exponentialBackoff } from './exponential-backoff.js';
import { retryStorm } from './retry-storm.js';
import { timeout } from './timeout.js';
import { transientFailures } from './transient-failures.js';

/** The retry logic scenarios, in catalog order. */
export const RETRY_SCENARIOS: ScenarioDefinition[] = [transientFailures, circuitBreaker, timeout, exponentialBackoff, retryStorm];
