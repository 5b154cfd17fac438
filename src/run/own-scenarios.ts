import type { ScenarioSpec } from '../api/index.js';
import { projectScenarios } from '../project/templates/index.js';
import { BENCH_SPECS } from '../suites/bench/index.js';
import { POOLING_SPECS } from '../suites/pooling/index.js';
import { RETRY_SPECS } from '../suites/retry/index.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { SESSIONS_SPECS } from '../suites/sessions/index.js';

/**
 * perf-gate's own perf-file specs, every category (suites/bench, pooling, retry, sessions). Bench
 * first: an operation several templates share is counted once by the cost pass, under its first
 * scenario's id (`bench.crud.get_by_id`); the scenarios themselves run in category order.
 */
export const OWN_SPECS = [...BENCH_SPECS, ...POOLING_SPECS, ...RETRY_SPECS, ...SESSIONS_SPECS] as ReadonlyArray<ScenarioSpec<unknown, unknown>>;

/** The own specs expanded by the templates, as a user's are. */
const FROM_SPECS: readonly ScenarioDefinition[] = projectScenarios(OWN_SPECS);

export const POOLING_SCENARIOS: readonly ScenarioDefinition[] = FROM_SPECS.filter((d) => d.category === 'pooling');
export const RETRY_SCENARIOS: readonly ScenarioDefinition[] = FROM_SPECS.filter((d) => d.category === 'retry');
export const SESSIONS_SCENARIOS: readonly ScenarioDefinition[] = FROM_SPECS.filter((d) => d.category === 'sessions');
export const BENCH_SCENARIOS: readonly ScenarioDefinition[] = FROM_SPECS.filter((d) => d.category === 'bench');

/** Every scenario of perf-gate's own data layer, in run order: pooling, retry, sessions, bench. */
export const ALL_SCENARIOS: readonly ScenarioDefinition[] = FROM_SPECS;
