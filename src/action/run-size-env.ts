import { createSeed } from '../suites/harness/random.js';
import { describeBounds, parseBoundedNumber, SCALE_BOUNDS, SEED_USERS_BOUNDS, type NumberBounds, type RunSize } from '../gate/run-size.js';

/** A bad advanced setting from the environment: names the variable, echoes it, says what was expected. */
export class EnvSettingError extends Error {
  override readonly name = 'EnvSettingError';
}

/**
 * The run's size from the advanced environment settings: PERF_GATE_USERS (seeded users, default
 * 10000) and PERF_GATE_SCALE (multiplies every scenario's size, default 1). Smaller runs are for
 * tests and quick trials; a baseline should be made with the same settings as the runs it judges.
 */
export function readRunSize(env: NodeJS.ProcessEnv): RunSize {
  return {
    users: readEnvNumber(env, 'PERF_GATE_USERS', SEED_USERS_BOUNDS, 10_000),
    scale: readEnvNumber(env, 'PERF_GATE_SCALE', SCALE_BOUNDS, 1),
    seed: createSeed(),
  };
}

function readEnvNumber(env: NodeJS.ProcessEnv, name: string, bounds: NumberBounds, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parseBoundedNumber(raw, bounds);
  if (value === undefined) throw new EnvSettingError(`${name} must be ${describeBounds(bounds)}, got '${raw}'`);
  return value;
}
