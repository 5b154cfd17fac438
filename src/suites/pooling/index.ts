import type { ScenarioDefinition } from '../scenario.js';
import { exhaustion } from './exhaustion.js';
import { highLoad } from './high-load.js';
import { monitoring } from './monitoring.js';
import { normalLoad } from './normal-load.js';
import { recycling } from './recycling.js';

/** The connection pooling scenarios, in catalog order. */
export const POOLING_SCENARIOS: ScenarioDefinition[] = [normalLoad, highLoad, exhaustion, recycling, monitoring];
