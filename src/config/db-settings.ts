/**
 * The data layer's settings, read from the environment (names in the README, Settings), validated
 * once, frozen. A bad value is an error that names the variable, echoes the value and says what
 * was expected.
 */

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

/** The defaults (README, Settings). */
export const DEFAULT_DB_SETTINGS: Omit<DbSettings, 'url'> = Object.freeze({
  pool: Object.freeze({ size: 10, maxOverflow: 5, timeoutSeconds: 30, idleTimeoutSeconds: 10 }),
  retry: Object.freeze({ maxRetries: 3, delaySeconds: 0.1, backoff: 2, jitter: false, maxDelaySeconds: 30 }),
  breaker: Object.freeze({ failureThreshold: 5, recoveryTimeoutSeconds: 30 }),
  operationTimeoutSeconds: 30,
});

export class SettingError extends Error {
  override readonly name = 'SettingError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** A numeric variable within [min, max] (a whole number when asked), or `fallback` when unset. */
export function readNumber(env: Env, name: string, fallback: number, min: number, max: number, whole: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  const kind = whole ? 'a whole number' : 'a number';
  if (!Number.isFinite(value) || (whole && !Number.isInteger(value)) || value < min || value > max) {
    throw new SettingError(`${name} must be ${kind} from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new SettingError(`${name} must be true or false, got '${env[name]}'`);
}

/** Checks that a database URL is a postgres:// or postgresql:// URL (the value is not echoed: it may hold a password). */
export function validateDatabaseUrl(name: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingError(`${name} must be a postgresql:// URL, got a value that is not a URL`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new SettingError(`${name} must be a postgresql:// URL, got protocol '${parsed.protocol}'`);
  }
  return url;
}

/** Reads every setting; `url` may come from elsewhere (an embedded server) when DATABASE_URL is unset. */
export function readDbSettings(env: Env, url = env.DATABASE_URL): DbSettings {
  if (!url) throw new SettingError('DATABASE_URL must be set to a postgresql:// URL');
  const d = DEFAULT_DB_SETTINGS;
  return Object.freeze({
    url: validateDatabaseUrl('DATABASE_URL', url),
    pool: Object.freeze({
      size: readNumber(env, 'DATABASE_POOL_SIZE', d.pool.size, 1, 1000, true),
      maxOverflow: readNumber(env, 'DATABASE_MAX_OVERFLOW', d.pool.maxOverflow, 0, 1000, true),
      timeoutSeconds: readNumber(env, 'DATABASE_POOL_TIMEOUT', d.pool.timeoutSeconds, 0.001, 3600, false),
      idleTimeoutSeconds: readNumber(env, 'DATABASE_POOL_IDLE_TIMEOUT', d.pool.idleTimeoutSeconds, 0.1, 3600, false),
    }),
    retry: Object.freeze({
      maxRetries: readNumber(env, 'MAX_RETRIES', d.retry.maxRetries, 0, 100, true),
      delaySeconds: readNumber(env, 'RETRY_DELAY', d.retry.delaySeconds, 0, 3600, false),
      backoff: readNumber(env, 'RETRY_BACKOFF', d.retry.backoff, 1, 100, false),
      jitter: readBoolean(env, 'RETRY_JITTER', d.retry.jitter),
      maxDelaySeconds: readNumber(env, 'RETRY_MAX_DELAY', d.retry.maxDelaySeconds, 0, 3600, false),
    }),
    breaker: Object.freeze({
      failureThreshold: readNumber(env, 'CIRCUIT_BREAKER_FAILURE_THRESHOLD', d.breaker.failureThreshold, 1, 1000, true),
      recoveryTimeoutSeconds: readNumber(
        env,
        'CIRCUIT_BREAKER_RECOVERY_TIMEOUT',
        d.breaker.recoveryTimeoutSeconds,
        0.001,
        86400,
        false,
      ),
    }),
    operationTimeoutSeconds: readNumber(env, 'DATABASE_OPERATION_TIMEOUT', d.operationTimeoutSeconds, 0.001, 3600, false),
  });
}

/** Changes to some settings, group by group. */
export type DbSettingsOverrides = DeepPartial<Omit<DbSettings, 'url'>>;

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
