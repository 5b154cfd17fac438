import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPullRequest, isPullRequestEvent, readEventContext, readEventContextFromRunner } from '../../src/github/event-context.js';

const REPOSITORY = { full_name: 'acme/shop', default_branch: 'main' };

function envFor(eventName: string): NodeJS.ProcessEnv {
  return { GITHUB_EVENT_NAME: eventName, GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/pull/7/merge' };
}

function pullRequest(headRepo: string | null) {
  return {
    repository: REPOSITORY,
    pull_request: {
      number: 7,
      head: { sha: 'b'.repeat(40), ref: 'feature', repo: headRepo === null ? null : { full_name: headRepo } },
      base: { sha: 'c'.repeat(40), ref: 'main', repo: { full_name: 'acme/shop' } },
    },
  };
}

describe('readEventContext', () => {
  it('reads a same-repository pull request', () => {
    expect(readEventContext(envFor('pull_request'), pullRequest('acme/shop'))).toEqual({
      kind: 'pull_request',
      eventName: 'pull_request',
      repository: { owner: 'acme', repo: 'shop' },
      defaultBranch: 'main',
      sha: 'a'.repeat(40),
      ref: 'refs/pull/7/merge',
      prNumber: 7,
      headSha: 'b'.repeat(40),
      headRef: 'feature',
      baseRef: 'main',
      baseSha: 'c'.repeat(40),
      isFork: false,
    });
  });

  it('marks a PR from another or a deleted repository as a fork', () => {
    expect(readEventContext(envFor('pull_request_target'), pullRequest('stranger/shop'))).toMatchObject({ kind: 'pull_request_target', isFork: true });
    expect(readEventContext(envFor('pull_request'), pullRequest(null))).toMatchObject({ isFork: true });
  });

  it('reads a push to the default branch and to another branch', () => {
    const push = { ref: 'refs/heads/main', after: 'd'.repeat(40), repository: REPOSITORY };
    expect(readEventContext(envFor('push'), push)).toMatchObject({ kind: 'push', branch: 'main', headSha: 'd'.repeat(40), isDefaultBranch: true });
    expect(readEventContext(envFor('push'), { ...push, ref: 'refs/heads/dev' })).toMatchObject({ branch: 'dev', isDefaultBranch: false });
    expect(readEventContext(envFor('push'), { ...push, ref: 'refs/tags/v1' })).toMatchObject({ branch: undefined, isDefaultBranch: false });
  });

  it('reads a workflow_run triggered by a fork PR (no PR numbers listed)', () => {
    const payload = {
      repository: REPOSITORY,
      workflow_run: { event: 'pull_request', head_sha: 'e'.repeat(40), head_branch: 'feature', pull_requests: [], head_repository: { full_name: 'stranger/shop' } },
    };
    expect(readEventContext(envFor('workflow_run'), payload)).toMatchObject({
      kind: 'workflow_run',
      triggeringEvent: 'pull_request',
      headSha: 'e'.repeat(40),
      prNumbers: [],
      isFork: true,
    });
  });

  it('reads other events with the common fields only', () => {
    expect(readEventContext(envFor('schedule'), {})).toMatchObject({ kind: 'other', eventName: 'schedule', defaultBranch: undefined });
  });

  it('names what is missing', () => {
    expect(() => readEventContext({ ...envFor('push'), GITHUB_REPOSITORY: '' }, {})).toThrow("GITHUB_REPOSITORY must be set (the runner sets it), got ''");
    const broken = pullRequest('acme/shop');
    broken.pull_request.number = '7' as unknown as number;
    expect(() => readEventContext(envFor('pull_request'), broken)).toThrow("the event payload's 'pull_request.number' must be a whole number, got \"7\"");
    expect(() => readEventContext(envFor('pull_request'), {})).toThrow("the event payload has no 'pull_request' object");
  });

  it('reads the payload from GITHUB_EVENT_PATH', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(file, JSON.stringify(pullRequest('acme/shop')));
    expect(readEventContextFromRunner({ ...envFor('pull_request'), GITHUB_EVENT_PATH: file })).toMatchObject({ prNumber: 7 });
  });
});

describe('isPullRequest', () => {
  it('is true for pull_request and pull_request_target only', () => {
    expect(isPullRequest(readEventContext(envFor('pull_request'), pullRequest('acme/shop')))).toBe(true);
    expect(isPullRequest(readEventContext(envFor('pull_request_target'), pullRequest('fork/shop')))).toBe(true);
    expect(isPullRequest(readEventContext(envFor('schedule'), { repository: REPOSITORY }))).toBe(false);
    expect([isPullRequestEvent('pull_request_target'), isPullRequestEvent('push'), isPullRequestEvent('pull_request_review')]).toEqual([true, false, false]);
  });
});
