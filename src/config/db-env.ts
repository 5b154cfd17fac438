/**
 * The data layer's environment variables (README, Settings), read once at the entry into typed
 * overrides: only the variables that are set, each validated against the range the data layer
 * accepts (DB_SETTING_BOUNDS). A bad value is a SettingError naming the variable and the value.
 */
import type { NumberBounds } from '../common/number-bounds.js';
import { DB_SETTING_BOUNDS, type DbSettingsOverrides } from '../db/settings.js';
import { readEnvNumber } from './run-size.js';
import { SettingError } from './setting-error.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The data layer's variables that are set in `env`, as overrides of the defaults or thresholds.json. */
export function readDbEnv(env: Env): DbSettingsOverrides {
  const b = DB_SETTING_BOUNDS;
  const read = (name: string, bounds: NumberBounds) => readEnvNumber(env, name, bounds);
  return freezeDefined({
    pool: freezeDefined({
      size: read('DATABASE_POOL_SIZE', b.pool.size),
      maxOverflow: read('DATABASE_MAX_OVERFLOW', b.pool.maxOverflow),
      timeoutSeconds: read('DATABASE_POOL_TIMEOUT', b.pool.timeoutSeconds),
      idleTimeoutSeconds: read('DATABASE_POOL_IDLE_TIMEOUT', b.pool.idleTimeoutSeconds),
    }),
    retry: freezeDefined({
      maxRetries: read('MAX_RETRIES', b.retry.maxRetries),
      delaySeconds: read('RETRY_DELAY', b.retry.delaySeconds),
      backoff: read('RETRY_BACKOFF', b.retry.backoff),
      jitter: readBoolean(env, 'RETRY_JITTER'),
      maxDelaySeconds: read('RETRY_MAX_DELAY', b.retry.maxDelaySeconds),
    }),
    breaker: freezeDefined({
      failureThreshold: read('CIRCUIT_BREAKER_FAILURE_THRESHOLD', b.breaker.failureThreshold),
      recoveryTimeoutSeconds: read('CIRCUIT_BREAKER_RECOVERY_TIMEOUT', b.breaker.recoveryTimeoutSeconds),
    }),
    operationTimeoutSeconds: read('DATABASE_OPERATION_TIMEOUT', b.operationTimeoutSeconds),
  });
}

function readBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new SettingError(`${name} must be true or false, got '${env[name]}'`);
}

/**
 * DATABASE_URL, checked to be a postgres:// or postgresql:// URL (the value is not echoed: it may
 * hold a password); undefined when unset or blank, which means an embedded server.
 */
export function readDatabaseUrl(env: Env): string | undefined {
  const url = env.DATABASE_URL;
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SettingError('DATABASE_URL must be a postgresql:// URL, got a value that is not a URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new SettingError(`DATABASE_URL must be a postgresql:// URL, got protocol '${parsed.protocol}'`);
  }
  return url;
}

/** `value` without its undefined fields, frozen; an object with none left is still returned (empty). */
function freezeDefined<T extends object>(value: T): T {
  const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
  return Object.freeze(Object.fromEntries(entries)) as T;
}
