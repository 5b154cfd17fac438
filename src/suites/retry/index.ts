/**
 * The retry logic category (docs/scenarios.md#retry), written as a perf file writes it: the public
 * API's faults template applied to a repository read of perf-gate's own data layer (getById of a
 * random seeded user), with the retry policy that layer implements and the empty id that gives the
 * category's own ids (retry.transient_failures, .circuit_breaker, .timeout, .exponential_backoff,
 * .retry_storm). run/own-scenarios.ts expands it.
 */
import { faults, type RetryPolicy, type ScenarioSpec } from '../../api/index.js';
import { getById } from '../own-operations.js';
import type { SeedData } from '../seed.js';

/**
 * The policy the scenarios hold perf-gate's layer to, and run it with (its retry, breaker and time
 * limit are settings): the specification's delays of 0.1 s doubling, four retries so that the
 * 0.8 s step occurs (MAX_RETRIES is 3 by default), its failure threshold of 5, and the gate's short
 * breaker recovery and operation time limit (the specification's 30 s would make the circuit
 * breaker scenario wait a minute).
 */
export const OWN_RETRY_POLICY: RetryPolicy = Object.freeze({
  retryDelaysMs: Object.freeze([100, 200, 400, 800]),
  breaker: Object.freeze({ failureThreshold: 5, recoveryMs: 500 }),
  timeoutMs: 200,
});

export const RETRY_SPECS: ReadonlyArray<ScenarioSpec<SeedData, undefined>> = [faults('', getById, { policy: OWN_RETRY_POLICY })];
