/**
 * The connection pooling category (docs/scenarios.md#pooling), written as a perf file writes it:
 * the public API's load template applied to a repository read of perf-gate's own data layer
 * (getById of a random seeded user), with the empty id that gives the category's own scenario ids
 * (pooling.normal_load, .high_load, .exhaustion, .recycling, .monitoring). run/own-scenarios.ts
 * expands it.
 */
import { load, type ScenarioSpec } from '../../api/index.js';
import { getById } from '../own-operations.js';
import type { SeedData } from '../seed.js';

export const POOLING_SPECS: ReadonlyArray<ScenarioSpec<SeedData, undefined>> = [load('', getById)];
