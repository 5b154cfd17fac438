import { BENCH_SCENARIOS } from './bench/index.js';
import { POOLING_SCENARIOS } from './pooling/index.js';
import { RETRY_SCENARIOS } from './retry/index.js';
import type { ScenarioDefinition } from './scenario.js';
import { SESSIONS_SCENARIOS } from './sessions/index.js';

/** Every scenario, in run order: pooling, retry, sessions, bench. */
export const ALL_SCENARIOS: readonly ScenarioDefinition[] = [
  ...POOLING_SCENARIOS,
  ...RETRY_SCENARIOS,
  ...SESSIONS_SCENARIOS,
  ...BENCH_SCENARIOS,
];
