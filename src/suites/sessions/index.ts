/**
 * The session-leak category (docs/scenarios.md#sessions), written as a perf file writes it: the
 * public API's sessions template applied to a mix of repository operations of perf-gate's own
 * data layer, with the empty id that gives the category's own ids (sessions.normal_cleanup, ...).
 * run/own-scenarios.ts expands it.
 */
import { sessions, type ScenarioSpec } from '../../api/index.js';
import { mixedOperation } from '../own-operations.js';
import type { SeedData } from '../seed.js';

export const SESSIONS_SPECS: ReadonlyArray<ScenarioSpec<SeedData, undefined>> = [sessions('', mixedOperation)];
