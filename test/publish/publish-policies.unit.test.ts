import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../src/github/event-context.js';
import { decideBaselineUpdate } from '../../src/publish/baseline-policy.js';
import { decideComment } from '../../src/publish/comment-policy.js';
import type { Outcome } from '../../src/verdict/types.js';
import { BASE_CONTEXT as base, NO_FINDINGS as counts, PULL_REQUEST as pr, push, SHA } from '../support/event-contexts.js';

const outcome = (kind: 'pass' | 'fail', more: Partial<typeof counts> = {}): Outcome => ({ kind, ...counts, ...more });

describe('decideBaselineUpdate', () => {
  it('stores a push to the default branch on auto, and nothing else', () => {
    expect(decideBaselineUpdate('auto', push('main'), 'main')).toEqual({ kind: 'store', branch: 'main', sha: SHA });
    expect(decideBaselineUpdate('auto', push('feature'), 'main')).toMatchObject({ kind: 'skip', warn: false });
    expect(decideBaselineUpdate(true, push('feature'), 'main')).toEqual({ kind: 'store', branch: 'feature', sha: SHA });
    expect(decideBaselineUpdate(false, push('main'), 'main')).toMatchObject({ kind: 'skip' });
  });

  it('never stores a pull request run, and warns when the input asked for it', () => {
    expect(decideBaselineUpdate('auto', pr, 'main')).toEqual({ kind: 'skip', reason: 'a pull_request run never writes the baseline', warn: false });
    expect(decideBaselineUpdate(true, { ...pr, kind: 'pull_request_target' }, 'main')).toEqual({
      kind: 'skip',
      reason: "'update-baseline' is true, but a pull_request_target run never writes the baseline",
      warn: true,
    });
  });

  it('keys a forced run of another event by its ref', () => {
    const other: EventContext = { ...base, eventName: 'workflow_dispatch', kind: 'other', ref: 'refs/heads/release' };
    expect(decideBaselineUpdate(true, other, 'main')).toEqual({ kind: 'store', branch: 'release', sha: SHA });
  });
});

describe('decideComment', () => {
  it('applies the comment policy', () => {
    expect(decideComment('always', 7, outcome('pass'))).toEqual({ kind: 'upsert', prNumber: 7 });
    expect(decideComment('on-regression', 7, outcome('pass'))).toEqual({ kind: 'update-existing', prNumber: 7 });
    expect(decideComment('on-regression', 7, outcome('fail', { regressions: 1 }))).toEqual({ kind: 'upsert', prNumber: 7 });
    expect(decideComment('never', 7, outcome('fail'))).toMatchObject({ kind: 'skip' });
    expect(decideComment('always', undefined, outcome('pass'))).toEqual({ kind: 'skip', reason: 'not a pull request run' });
  });
});
