import { describe, expect, it } from 'vitest';
import { decideBaselineUpdate } from '../../src/publish/baseline-policy.js';
import { decideComment } from '../../src/publish/comment-policy.js';
import { checkGateEvent } from '../../src/action/gate-event.js';
import { checkRunContext } from '../../src/action/run-comment-mode.js';
import type { RunContextDocument } from '../../src/publish/run-context-file.js';
import { readRunSize } from '../../src/config/run-size.js';
import { decideStepFailure, nameVerdict } from '../../src/action/step-verdict.js';
import { diffThresholdsText } from '../../src/config/thresholds-diff.js';
import type { EventContext, PushContext, PullRequestContext, WorkflowRunContext } from '../../src/github/event-context.js';
import type { Outcome } from '../../src/verdict/types.js';

const SHA = 'a'.repeat(40);
const base = { eventName: 'push', repository: { owner: 'acme', repo: 'shop' }, defaultBranch: 'main', sha: SHA, ref: 'refs/heads/main' };
const push = (branch: string): PushContext => ({ ...base, kind: 'push', branch, headSha: SHA, isDefaultBranch: branch === 'main' });
const pr: PullRequestContext = {
  ...base,
  eventName: 'pull_request',
  kind: 'pull_request',
  prNumber: 7,
  headSha: SHA,
  headRef: 'feature',
  baseRef: 'main',
  baseSha: 'b'.repeat(40),
  isFork: false,
};
const counts = { regressions: 0, breaches: 0, errored: 0, failedChecks: 0, warnings: 0, improvements: 0 };
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

describe('decideComment', () => {
  it('applies the comment policy', () => {
    expect(decideComment('always', 7, outcome('pass'))).toEqual({ kind: 'upsert', prNumber: 7 });
    expect(decideComment('on-regression', 7, outcome('pass'))).toEqual({ kind: 'update-existing', prNumber: 7 });
    expect(decideComment('on-regression', 7, outcome('fail', { regressions: 1 }))).toEqual({ kind: 'upsert', prNumber: 7 });
    expect(decideComment('never', 7, outcome('fail'))).toMatchObject({ kind: 'skip' });
    expect(decideComment('always', undefined, outcome('pass'))).toEqual({ kind: 'skip', reason: 'not a pull request run' });
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

describe('readRunSize', () => {
  it('reads PERF_GATE_USERS and PERF_GATE_SCALE with defaults', () => {
    expect(readRunSize({})).toMatchObject({ users: 10_000, scale: 1 });
    expect(readRunSize({ PERF_GATE_USERS: '300', PERF_GATE_SCALE: '0.1' })).toMatchObject({ users: 300, scale: 0.1 });
  });

  it('names the variable, the value and the expectation', () => {
    expect(() => readRunSize({ PERF_GATE_USERS: '99' })).toThrow("PERF_GATE_USERS must be a whole number from 100 to 10000000, got '99'");
    expect(() => readRunSize({ PERF_GATE_USERS: '1e3.5' })).toThrow("got '1e3.5'");
    expect(() => readRunSize({ PERF_GATE_SCALE: '0' })).toThrow("PERF_GATE_SCALE must be a number from 0.01 to 10, got '0'");
  });
});

describe('diffThresholdsText', () => {
  it('lists each changed JSON path', () => {
    const before = JSON.stringify({ history: 10, scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 10 } } } });
    const after = JSON.stringify({ history: 10, scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 20 } } }, retention: 5 });
    expect(diffThresholdsText(before, after, 'thresholds.json')).toEqual(['$.retention: added (5)', '$.scenarios["bench.crud.get_by_id"].avg_ms.max: 10 → 20']);
    expect(diffThresholdsText(before, JSON.stringify(JSON.parse(before), null, 2), 'thresholds.json')).toEqual([]);
    expect(diffThresholdsText(before, '{', 'thresholds.json')).toEqual(["thresholds.json differs from the base branch's and is not valid JSON"]);
    expect(diffThresholdsText(before, undefined, 't.json')).toEqual(["t.json is missing from the pull request's checkout (the base branch's file is used)"]);
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
