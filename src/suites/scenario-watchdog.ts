/**
 * The scenario-level backstop against hangs: a scenario that is still running when its budget runs
 * out is given up on (ended as `errored`, with what it was doing), so a black-holed connection or
 * a query that never returns costs one scenario and a few minutes, not the whole run.
 */
import { formatDuration } from './harness/progress.js';

/** A scenario did not finish within the watchdog's budget. */
export class ScenarioTimeoutError extends Error {
  override readonly name = 'ScenarioTimeoutError';
}

/** A scenario the watchdog gave up on tried to go on (report a step, open a resource). */
export class ScenarioAbandonedError extends Error {
  override readonly name = 'ScenarioAbandonedError';
}

/** What a scenario said it is doing last, and since when. */
export class StepLog {
  private step = 'starting';
  private since: number;

  constructor(private readonly now: () => number) {
    this.since = now();
  }

  set(step: string): void {
    this.step = step;
    this.since = this.now();
  }

  /** `'warming the pool' (for 1.2 s)` */
  describe(): string {
    return `'${this.step}' (for ${formatDuration(this.now() - this.since)})`;
  }
}

/**
 * Resolves or rejects as `work` does, unless `budgetMs` passes first: then `onExpire` runs and the
 * promise rejects with the error it returns. The abandoned work may settle later; that is ignored.
 * The timer is not unref'd on purpose: a scenario waiting on a promise with nothing else keeping
 * the process alive must still be reported, not end the process silently mid-run.
 */
export async function runWithWatchdog<T>(work: Promise<T>, budgetMs: number, onExpire: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onExpire()), budgetMs);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
