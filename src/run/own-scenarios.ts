import type { ScenarioSpec } from '../api/index.js';
import { projectScenarios } from '../project/templates/index.js';
import { BENCH_SPECS } from '../suites/bench/index.js';
import { POOLING_SCENARIOS } from '../suites/pooling/index.js';
import { RETRY_SCENARIOS } from '../suites/retry/index.js';
import type { ScenarioDefinition } from '../suites/scenario.js';
import { SESSIONS_SCENARIOS } from '../suites/sessions/index.js';

/** The bench category: its perf-file specs (suites/bench) expanded by the templates, as a user's are. */
export const BENCH_SCENARIOS: readonly ScenarioDefinition[] = projectScenarios(BENCH_SPECS as ReadonlyArray<ScenarioSpec<unknown, unknown>>);

/** Every scenario of perf-gate's own data layer, in run order: pooling, retry, sessions, bench. */
export const ALL_SCENARIOS: readonly ScenarioDefinition[] = [...POOLING_SCENARIOS, ...RETRY_SCENARIOS, ...SESSIONS_SCENARIOS, ...BENCH_SCENARIOS];
