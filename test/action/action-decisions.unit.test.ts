import { describe, expect, it } from 'vitest';
import { checkGateEvent } from '../../src/action/gate-event.js';
import { checkRunContext } from '../../src/action/run-comment-mode.js';
import { decideStepFailure, nameVerdict } from '../../src/action/step-verdict.js';
import type { PullRequestContext, WorkflowRunContext } from '../../src/github/event-context.js';
import type { RunContextDocument } from '../../src/publish/run-context-file.js';
import { BASE_CONTEXT as base, NO_FINDINGS as counts, PULL_REQUEST as pr, push, SHA } from '../support/event-contexts.js';

describe('checkGateEvent', () => {
  it('refuses pull_request_target, saying why and what to use instead', () => {
    const target: PullRequestContext = { ...pr, eventName: 'pull_request_target', kind: 'pull_request_target' };
    expect(() => checkGateEvent(target)).toThrow(
      "'mode: gate' refuses the pull_request_target event: to gate a pull request it runs the pull request's code, " +
        'and pull_request_target would run that code with a write token and the repository\'s secrets. ' +
        "Run the gate on 'pull_request' (a fork gets a read-only token there) and post the comment from a 'workflow_run' job " +
        "with 'mode: comment': the two-stage fork workflow of the README",
    );
  });

  it('accepts pull_request, push and other events', () => {
    for (const context of [pr, push('main'), { ...base, eventName: 'workflow_dispatch', kind: 'other' as const }]) {
      expect(() => checkGateEvent(context)).not.toThrow();
    }
  });
});

describe('nameVerdict and decideStepFailure', () => {
  it('names the most serious finding', () => {
    expect(nameVerdict(counts)).toBe('pass');
    expect(nameVerdict({ ...counts, regressions: 2 })).toBe('regressed');
    expect(nameVerdict({ ...counts, regressions: 2, failedChecks: 1 })).toBe('breached');
    expect(nameVerdict({ ...counts, breaches: 1, errored: 1 })).toBe('errored');
  });

  it('fails per fail-on', () => {
    const regressed = { ...counts, regressions: 2 };
    expect(decideStepFailure(regressed, 'regression')).toBe('perf-gate failed the step (fail-on: regression): 2 regression(s)');
    expect(decideStepFailure(regressed, 'breach')).toBeUndefined();
    expect(decideStepFailure({ ...counts, breaches: 1 }, 'breach')).toBe('perf-gate failed the step (fail-on: breach): 1 breach(es) of an absolute limit');
    expect(decideStepFailure({ ...counts, breaches: 1, errored: 1 }, 'never')).toBeUndefined();
    expect(decideStepFailure({ ...counts, warnings: 3, improvements: 1 }, 'regression')).toBeUndefined();
  });
});

describe('checkRunContext', () => {
  const event: WorkflowRunContext = { ...base, eventName: 'workflow_run', kind: 'workflow_run', triggeringEvent: 'pull_request', headSha: SHA, headBranch: 'feature', prNumbers: [], isFork: true };
  const uploaded: RunContextDocument = { schemaVersion: 1, repository: 'acme/shop', event: 'pull_request', prNumber: 7, headSha: SHA, thresholdsChange: [], notes: [] };

  it('accepts a matching upload and returns its pull request', () => {
    expect(checkRunContext(uploaded, event)).toBe(7);
    expect(checkRunContext(uploaded, { ...event, prNumbers: [7] })).toBe(7);
  });

  it('refuses another repository, head or pull request', () => {
    expect(() => checkRunContext({ ...uploaded, repository: 'evil/shop' }, event)).toThrow("names the repository 'evil/shop', expected 'acme/shop'");
    expect(() => checkRunContext({ ...uploaded, headSha: 'c'.repeat(40) }, event)).toThrow('names the head sha');
    expect(() => checkRunContext(uploaded, { ...event, prNumbers: [8] })).toThrow('names pull request #7, expected one of the workflow_run\'s (#8)');
    expect(() => checkRunContext({ ...uploaded, prNumber: null }, event)).toThrow('names no pull request');
    expect(() => checkRunContext(uploaded, { ...event, triggeringEvent: 'push' })).toThrow("triggered by 'push'");
  });
});
