/** Event contexts as github/event-context.ts reads them, for the tests of the decisions made on them. */
import type { PullRequestContext, PushContext } from '../../src/github/event-context.js';
import type { OutcomeCounts } from '../../src/verdict/types.js';

export const SHA = 'a'.repeat(40);

/** What every context has: a push to main of acme/shop. */
export const BASE_CONTEXT = { eventName: 'push', repository: { owner: 'acme', repo: 'shop' }, defaultBranch: 'main', sha: SHA, ref: 'refs/heads/main' };

/** A push to `branch` (the default branch is main). */
export const push = (branch: string): PushContext => ({ ...BASE_CONTEXT, kind: 'push', branch, headSha: SHA, isDefaultBranch: branch === 'main' });

/** Pull request #7 from a branch of the same repository into main. */
export const PULL_REQUEST: PullRequestContext = {
  ...BASE_CONTEXT,
  eventName: 'pull_request',
  kind: 'pull_request',
  prNumber: 7,
  headSha: SHA,
  headRef: 'feature',
  baseRef: 'main',
  baseSha: 'b'.repeat(40),
  isFork: false,
};

/** Outcome counts with nothing found. */
export const NO_FINDINGS: OutcomeCounts = { regressions: 0, breaches: 0, errored: 0, failedChecks: 0, warnings: 0, improvements: 0 };
