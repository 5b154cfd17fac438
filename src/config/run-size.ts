/**
 * How big a gate run is, and the bounds of each knob. The CLI reads it from flags (--users, --scale,
 * --seed), the action from its advanced environment settings (PERF_GATE_USERS, PERF_GATE_SCALE).
 */
import { describeBounds, parseBoundedNumber, type NumberBounds } from '../common/number-bounds.js';
import { createSeed } from '../suites/harness/random.js';
import { SettingError } from './setting-error.js';

/** How big a gate run is: seeded users, the scale of every scenario, and the random seed. */
export interface RunSize {
  /** Users seeded before the scenarios (10,000 by default). */
  users: number;
  /** Multiplies the scenarios' sizes (docs/scenarios.md); 1 is the full run. */
  scale: number;
  /** Seed of every random choice. */
  seed: number;
}

export const SEED_USERS_BOUNDS: NumberBounds = { min: 100, max: 10_000_000, whole: true };
export const SCALE_BOUNDS: NumberBounds = { min: 0.01, max: 10, whole: false };
export const SEED_BOUNDS: NumberBounds = { min: 0, max: 2 ** 32 - 1, whole: true };

/** The full run: 10,000 users at scale 1. */
export const DEFAULT_RUN_SIZE: Readonly<Omit<RunSize, 'seed'>> = Object.freeze({ users: 10_000, scale: 1 });

/**
 * The run's size from the advanced environment settings: PERF_GATE_USERS (seeded users, default
 * 10000) and PERF_GATE_SCALE (multiplies every scenario's size, default 1), with a fresh seed.
 * Smaller runs are for tests and quick trials; a baseline should be made with the same settings as
 * the runs it judges.
 */
export function readRunSize(env: Readonly<Record<string, string | undefined>>): RunSize {
  return {
    users: readEnvNumber(env, 'PERF_GATE_USERS', SEED_USERS_BOUNDS) ?? DEFAULT_RUN_SIZE.users,
    scale: readEnvNumber(env, 'PERF_GATE_SCALE', SCALE_BOUNDS) ?? DEFAULT_RUN_SIZE.scale,
    seed: createSeed(),
  };
}

/** A numeric variable within `bounds`, or undefined when it is unset or blank. */
export function readEnvNumber(env: Readonly<Record<string, string | undefined>>, name: string, bounds: NumberBounds): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = parseBoundedNumber(raw, bounds);
  if (value === undefined) throw new SettingError(`${name} must be ${describeBounds(bounds)}, got '${raw}'`);
  return value;
}
