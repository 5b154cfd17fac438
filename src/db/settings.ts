/**
 * The data layer's settings: their types, their defaults and the range each accepts, in one place.
 * Where a value comes from (the environment, thresholds.json's `configuration`) is decided by
 * config/, which hands the data layer a finished, frozen DbSettings. The names in the comments are
 * the environment variables (README, Settings).
 */
import type { NumberBounds } from '../common/number-bounds.js';

export interface PoolSettings {
  /** DATABASE_POOL_SIZE: persistent connections kept open. */
  size: number;
  /** DATABASE_MAX_OVERFLOW: extra connections opened under load and closed when idle. */
  maxOverflow: number;
  /** DATABASE_POOL_TIMEOUT: seconds to wait for a free connection before failing. */
  timeoutSeconds: number;
  /** DATABASE_POOL_IDLE_TIMEOUT: seconds an overflow connection may stay idle before it is closed. */
  idleTimeoutSeconds: number;
}

export interface RetrySettings {
  /** MAX_RETRIES: retries after the first attempt. */
  maxRetries: number;
  /** RETRY_DELAY: seconds before the first retry. */
  delaySeconds: number;
  /** RETRY_BACKOFF: multiplier of the delay for each further retry. */
  backoff: number;
  /** RETRY_JITTER: randomise delays (off by default so delays are exactly 0.1, 0.2, 0.4 ... s). */
  jitter: boolean;
  /** RETRY_MAX_DELAY: ceiling of one delay, seconds. */
  maxDelaySeconds: number;
}

export interface BreakerSettings {
  /** CIRCUIT_BREAKER_FAILURE_THRESHOLD: consecutive outages (see isOutageError) that open the breaker. */
  failureThreshold: number;
  /** CIRCUIT_BREAKER_RECOVERY_TIMEOUT: seconds open before one half-open probe is let through. */
  recoveryTimeoutSeconds: number;
}

export interface DbSettings {
  /** DATABASE_URL: postgres:// URL of the database the data layer uses. */
  url: string;
  pool: PoolSettings;
  retry: RetrySettings;
  breaker: BreakerSettings;
  /** DATABASE_OPERATION_TIMEOUT: limit in seconds of every unit of work that does not bring its own. */
  operationTimeoutSeconds: number;
}

/** Every setting but the URL, which belongs to the database rather than to the data layer. */
export type DbTuning = Omit<DbSettings, 'url'>;

/** The defaults (README, Settings); thresholds.json's schema and defaults refer to these. */
export const DEFAULT_DB_SETTINGS: DbTuning = Object.freeze({
  pool: Object.freeze({ size: 10, maxOverflow: 5, timeoutSeconds: 30, idleTimeoutSeconds: 10 }),
  retry: Object.freeze({ maxRetries: 3, delaySeconds: 0.1, backoff: 2, jitter: false, maxDelaySeconds: 30 }),
  breaker: Object.freeze({ failureThreshold: 5, recoveryTimeoutSeconds: 30 }),
  operationTimeoutSeconds: 30,
});

const whole = (min: number, max: number): NumberBounds => ({ min, max, whole: true });
const number = (min: number, max: number): NumberBounds => ({ min, max, whole: false });

/**
 * What each numeric setting accepts, wherever it is read from: the environment reader and the
 * schema of thresholds.json's `configuration` both check against these, so a value one accepts the
 * other does too.
 */
export const DB_SETTING_BOUNDS = Object.freeze({
  pool: { size: whole(1, 1000), maxOverflow: whole(0, 1000), timeoutSeconds: number(0.001, 3600), idleTimeoutSeconds: number(0.1, 3600) },
  retry: { maxRetries: whole(0, 100), delaySeconds: number(0, 3600), backoff: number(1, 100), maxDelaySeconds: number(0, 3600) },
  breaker: { failureThreshold: whole(1, 1000), recoveryTimeoutSeconds: number(0.001, 86400) },
  operationTimeoutSeconds: number(0.001, 3600),
}) satisfies {
  pool: Record<keyof PoolSettings, NumberBounds>;
  retry: Record<Exclude<keyof RetrySettings, 'jitter'>, NumberBounds>;
  breaker: Record<keyof BreakerSettings, NumberBounds>;
  operationTimeoutSeconds: NumberBounds;
};

/** Changes to some settings, group by group. */
export type DbSettingsOverrides = DeepPartial<DbTuning>;

/** Settings for code and tests that build them directly: defaults with overrides. */
export function makeDbSettings(url: string, overrides: DbSettingsOverrides = {}): DbSettings {
  return overrideDbSettings({ url, ...DEFAULT_DB_SETTINGS }, overrides);
}

/** `base` with some settings changed (and another URL, when given), frozen. */
export function overrideDbSettings(base: DbSettings, overrides: DbSettingsOverrides, url = base.url): DbSettings {
  return Object.freeze({
    url,
    pool: Object.freeze({ ...base.pool, ...overrides.pool }),
    retry: Object.freeze({ ...base.retry, ...overrides.retry }),
    breaker: Object.freeze({ ...base.breaker, ...overrides.breaker }),
    operationTimeoutSeconds: overrides.operationTimeoutSeconds ?? base.operationTimeoutSeconds,
  });
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };
