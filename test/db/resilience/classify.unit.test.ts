import { describe, expect, it } from 'vitest';
import { CommitOutcomeUnknownError, PoolTimeoutError } from '../../../src/db/errors.js';
import { isOutageError, isTransientError } from '../../../src/db/resilience/classify.js';
import { makeBackoffGenerator } from '../../../src/db/resilience/policy.js';
import { DEFAULT_DB_SETTINGS } from '../../../src/db/settings.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientError', () => {
  it.each(['57P01', '57P02', '57P03', '08006', '08001', '08P01', '40001', '40P01', 'ECONNRESET', 'ECONNREFUSED'])(
    '%s is transient',
    (code) => expect(isTransientError(withCode(code))).toBe(true),
  );
  it.each(['23505', '42601', '57014', '22P02'])('%s is not', (code) => expect(isTransientError(withCode(code))).toBe(false));

  it('knows broken connections and raw pool acquire timeouts by message or name', () => {
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isTransientError(new Error('duplicate key'))).toBe(false);
  });

  it('follows the cause chain but never retries a unique violation', () => {
    expect(isTransientError(new Error('wrapped', { cause: withCode('40001') }))).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: withCode('23505', 'connection terminated') }))).toBe(false);
  });
});

describe('errors the data layer has judged', () => {
  const reset = withCode('ECONNRESET', 'COMMIT; - read ECONNRESET');
  const acquire = Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' });

  it('never retries an unknown commit outcome, but counts a lost connection as an outage', () => {
    expect(isTransientError(reset)).toBe(true);
    const unknown = new CommitOutcomeUnknownError({ cause: reset });
    expect(isTransientError(unknown)).toBe(false);
    expect(isOutageError(unknown)).toBe(true);
    expect(isOutageError(new CommitOutcomeUnknownError({ cause: new Error('no answer within 31000 ms') }))).toBe(false);
  });

  it('neither retries nor counts an exhausted pool; a raw acquire timeout (server not answering) is both', () => {
    const exhausted = new PoolTimeoutError(1, 1, { cause: acquire });
    expect(isTransientError(exhausted)).toBe(false);
    expect(isOutageError(exhausted)).toBe(false);
    expect(isTransientError(acquire)).toBe(true);
    expect(isOutageError(acquire)).toBe(true);
    expect(isOutageError(new Error('timeout expired'))).toBe(true);
  });

  it('counts what it retries otherwise, but not contention (a serialization failure, a deadlock)', () => {
    for (const code of ['57P01', '08006', '23505', '57014']) {
      expect(isOutageError(withCode(code))).toBe(isTransientError(withCode(code)));
    }
    for (const code of ['40001', '40P01']) {
      expect(isTransientError(withCode(code))).toBe(true);
      expect(isOutageError(withCode(code))).toBe(false);
      expect(isOutageError(new Error('wrapped', { cause: withCode(code) }))).toBe(false);
    }
  });
});

describe('backoff', () => {
  it('is 0.1, 0.2, 0.4, 0.8 s by default', () => {
    const next = makeBackoffGenerator(DEFAULT_DB_SETTINGS.retry);
    let state: number | undefined;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [delay, nextState] = next(state, {} as never);
      delays.push(delay);
      state = nextState;
    }
    expect(delays).toEqual([100, 200, 400, 800]);
  });

  it('with jitter stays between half and all of each delay', () => {
    const random = [0, 0.5, 0.999];
    const next = makeBackoffGenerator({ ...DEFAULT_DB_SETTINGS.retry, jitter: true }, () => random.shift() ?? 0);
    expect(next(0, {} as never)[0]).toBe(50);
    expect(next(1, {} as never)[0]).toBe(150);
    expect(next(2, {} as never)[0]).toBeCloseTo(399.8, 5);
  });
});
