import { describe, expect, it } from 'vitest';
import { runWithWatchdog, ScenarioTimeoutError, StepLog } from '../../src/suites/scenario-watchdog.js';

describe('runWithWatchdog', () => {
  it('passes through what the work resolves or rejects with, without calling onExpire', async () => {
    let expired = 0;
    const onExpire = () => {
      expired += 1;
      return new ScenarioTimeoutError('late');
    };
    await expect(runWithWatchdog(Promise.resolve(42), 60_000, onExpire)).resolves.toBe(42);
    await expect(runWithWatchdog(Promise.reject(new Error('broken')), 60_000, onExpire)).rejects.toThrow('broken');
    expect(expired).toBe(0);
  });

  it("rejects with onExpire's error when the work outlives the budget, and ignores its late rejection", async () => {
    let rejectLate: (error: Error) => void = () => undefined;
    const work = new Promise<never>((_, reject) => {
      rejectLate = reject;
    });
    const guarded = runWithWatchdog(work, 20, () => new ScenarioTimeoutError('gave up'));
    await expect(guarded).rejects.toMatchObject({ name: 'ScenarioTimeoutError', message: 'gave up' });
    // Would be an unhandled rejection (failing the test run) if the watchdog did not absorb it.
    rejectLate(new Error('too late'));
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('StepLog', () => {
  it('describes the last step and how long it has been running', () => {
    let clock = 1000;
    const steps = new StepLog(() => clock);
    expect(steps.describe()).toBe("'starting' (for 0 ms)");
    steps.set('warming the pool');
    clock += 2400;
    expect(steps.describe()).toBe("'warming the pool' (for 2.4 s)");
  });
});
