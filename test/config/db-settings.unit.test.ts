import { describe, expect, it } from 'vitest';
import { readDbSettings } from '../../src/config/db-settings.js';

const url = 'postgresql://postgres@127.0.0.1:5432/test';

describe('readDbSettings', () => {
  it('uses the documented defaults (README, Settings)', () => {
    const settings = readDbSettings({ DATABASE_URL: url });
    expect(settings.pool).toMatchObject({ size: 10, maxOverflow: 5, timeoutSeconds: 30 });
    expect(settings.retry).toMatchObject({ maxRetries: 3, delaySeconds: 0.1, backoff: 2, jitter: false });
    expect(settings.breaker).toEqual({ failureThreshold: 5, recoveryTimeoutSeconds: 30 });
    expect(Object.isFrozen(settings.pool)).toBe(true);
  });

  it('reads overrides', () => {
    const settings = readDbSettings({ DATABASE_URL: url, DATABASE_POOL_SIZE: '4', RETRY_JITTER: 'true', RETRY_DELAY: '0.05' });
    expect(settings.pool.size).toBe(4);
    expect(settings.retry).toMatchObject({ jitter: true, delaySeconds: 0.05 });
  });

  it.each([
    ['DATABASE_POOL_SIZE', '0', `DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got '0'`],
    ['DATABASE_POOL_SIZE', 'ten', `DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got 'ten'`],
    ['DATABASE_MAX_OVERFLOW', '-1', `DATABASE_MAX_OVERFLOW must be a whole number from 0 to 1000, got '-1'`],
    ['DATABASE_POOL_TIMEOUT', 'NaN', `DATABASE_POOL_TIMEOUT must be a number from 0.001 to 3600, got 'NaN'`],
    ['MAX_RETRIES', '2.5', `MAX_RETRIES must be a whole number from 0 to 100, got '2.5'`],
    ['RETRY_JITTER', 'maybe', `RETRY_JITTER must be true or false, got 'maybe'`],
  ])('rejects %s=%s with a message naming it', (name, value, message) => {
    expect(() => readDbSettings({ DATABASE_URL: url, [name]: value })).toThrow(message);
  });

  it('rejects a URL that is not postgres without echoing it', () => {
    expect(() => readDbSettings({ DATABASE_URL: 'mysql://user:secret@host/db' })).toThrow(
      `DATABASE_URL must be a postgresql:// URL, got protocol 'mysql:'`,
    );
    expect(() => readDbSettings({})).toThrow('DATABASE_URL must be set');
  });
});
