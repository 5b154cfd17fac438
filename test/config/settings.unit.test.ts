import { describe, expect, it } from 'vitest';
import { readDatabaseUrl, readDbEnv } from '../../src/config/db-env.js';
import { readEnvSettings, resolveSettings, type RunChoices } from '../../src/config/settings.js';
import { parseThresholds } from '../../src/config/thresholds.js';
import { DEFAULT_DB_SETTINGS } from '../../src/db/settings.js';
import { scenarioBudgetMs } from '../../src/suites/scenario.js';

const choices: RunChoices = { serverUrl: undefined, size: { users: 100, scale: 1, seed: 1 }, confirmRerun: true, keepDatabase: false };
const defaults = parseThresholds({}, 'defaults');
const resolve = (env: Record<string, string>, file = defaults) => resolveSettings(readEnvSettings(env), file.configuration, choices);

describe('readDbEnv', () => {
  it('returns only the variables that are set, typed', () => {
    expect(readDbEnv({})).toEqual({ pool: {}, retry: {}, breaker: {} });
    const read = readDbEnv({ DATABASE_POOL_SIZE: '4', RETRY_JITTER: 'true', RETRY_DELAY: '0.05', DATABASE_OPERATION_TIMEOUT: ' ' });
    expect(read).toEqual({ pool: { size: 4 }, retry: { jitter: true, delaySeconds: 0.05 }, breaker: {} });
    expect(Object.isFrozen(read.pool)).toBe(true);
  });

  it.each([
    ['DATABASE_POOL_SIZE', '0', `DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got '0'`],
    ['DATABASE_POOL_SIZE', 'ten', `DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got 'ten'`],
    ['DATABASE_MAX_OVERFLOW', '-1', `DATABASE_MAX_OVERFLOW must be a whole number from 0 to 1000, got '-1'`],
    ['DATABASE_POOL_TIMEOUT', 'NaN', `DATABASE_POOL_TIMEOUT must be a number from 0.001 to 3600, got 'NaN'`],
    ['MAX_RETRIES', '2.5', `MAX_RETRIES must be a whole number from 0 to 100, got '2.5'`],
    ['RETRY_JITTER', 'maybe', `RETRY_JITTER must be true or false, got 'maybe'`],
    ['PERF_GATE_SCENARIO_TIMEOUT', '0', `PERF_GATE_SCENARIO_TIMEOUT must be a number from 0.1 to 86400, got '0'`],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => readEnvSettings({ [name]: value })).toThrow(message);
  });

  it('rejects a DATABASE_URL that is not postgres without echoing it', () => {
    expect(() => readDatabaseUrl({ DATABASE_URL: 'mysql://user:secret@host/db' })).toThrow(
      `DATABASE_URL must be a postgresql:// URL, got protocol 'mysql:'`,
    );
    expect(() => readDatabaseUrl({ DATABASE_URL: 'user:secret' })).not.toThrow('secret');
    expect(readDatabaseUrl({ DATABASE_URL: '' })).toBeUndefined();
  });
});

describe('resolveSettings', () => {
  it('uses the documented defaults (README, Settings)', () => {
    const settings = resolve({});
    expect(settings.db).toEqual(DEFAULT_DB_SETTINGS);
    expect(settings.db.pool).toMatchObject({ size: 10, maxOverflow: 5, timeoutSeconds: 30 });
    expect(settings.db.retry).toMatchObject({ maxRetries: 3, delaySeconds: 0.1, backoff: 2, jitter: false });
    expect(settings.scenarioTimeoutSeconds).toBe(300);
    expect(Object.isFrozen(settings) && Object.isFrozen(settings.db.pool)).toBe(true);
  });

  it('takes a variable over thresholds.json, and thresholds.json over the default', () => {
    const file = parseThresholds({ configuration: { pool: { size: 7 }, retry: { maxRetries: 1 }, scenarioTimeoutSeconds: 45 } }, 'file');
    const fromFile = resolve({}, file);
    expect([fromFile.db.pool.size, fromFile.db.pool.maxOverflow, fromFile.db.retry.maxRetries, fromFile.scenarioTimeoutSeconds]).toEqual([7, 5, 1, 45]);
    const fromEnv = resolve({ DATABASE_POOL_SIZE: '3', PERF_GATE_SCENARIO_TIMEOUT: '2.5', DATABASE_POOL_IDLE_TIMEOUT: '1' }, file);
    expect([fromEnv.db.pool.size, fromEnv.db.pool.idleTimeoutSeconds, fromEnv.db.retry.maxRetries, fromEnv.scenarioTimeoutSeconds]).toEqual([3, 1, 1, 2.5]);
  });

  it('refuses a configuration value the data layer would not accept, naming the path', () => {
    expect(() => parseThresholds({ configuration: { pool: { timeoutSeconds: 0 } } }, 'thresholds.json')).toThrow(/thresholds\.json.*timeoutSeconds/);
    expect(() => parseThresholds({ configuration: { scenarioTimeoutSeconds: -1 } }, 'thresholds.json')).toThrow(
      /thresholds\.json.*scenarioTimeoutSeconds/,
    );
  });
});

describe('the scenario watchdog budget', () => {
  it('grows with runs scaled above 1, never shrinks below the setting', () => {
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 1 })).toBe(300_000);
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 0.2 })).toBe(300_000);
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 4 })).toBe(1_200_000);
  });
});
