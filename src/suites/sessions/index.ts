import type { ScenarioDefinition } from '../scenario.js';
import { concurrentSessions } from './concurrent.js';
import { contextTracking } from './context-tracking.js';
import { exceptionCleanup } from './exception-cleanup.js';
import { heapTracking } from './heap-tracking.js';
import { memoryStability } from './memory-stability.js';
import { normalCleanup } from './normal-cleanup.js';
import { poolLeak } from './pool-leak.js';

/** The session-leak scenarios, in catalog order. */
export const SESSIONS_SCENARIOS: ScenarioDefinition[] = [
  normalCleanup,
  exceptionCleanup,
  concurrentSessions,
  memoryStability,
  poolLeak,
  contextTracking,
  heapTracking,
];
