import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, readHttpStatus } from '../../src/github/octokit.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { createFakeClient } from '../support/fake-github-client.js';

const LIST = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
const CREATE = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  await fake.close();
});

describe('createGitHubClient', () => {
  it('talks to GITHUB_API_URL with the token', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.maintainer);
    const { data } = await octokit.rest.users.getAuthenticated();
    expect(data.login).toBe('maintainer');
    expect(fake.requests).toEqual([expect.objectContaining({ route: 'GET /user', login: 'maintainer', status: 200 })]);
  });

  it('backs off and retries after a secondary rate limit', async () => {
    const warnings: string[] = [];
    fake.injectSecondaryRateLimit(CREATE, { times: 2, retryAfterSeconds: 5 });
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions, warnings);
    const { data } = await octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 7, body: 'hi' });
    expect(data.body).toBe('hi');
    expect(fake.requests.filter((r) => r.route === CREATE).map((r) => r.status)).toEqual([403, 403, 201]);
    expect(fake.repo().comments).toHaveLength(1);
    expect(warnings).toEqual([
      expect.stringMatching(/^GitHub secondary rate limit on POST .*; retry 1 of 3 in 5 s$/),
      expect.stringMatching(/retry 2 of 3 in 5 s$/),
    ]);
  });

  it('gives up after a bounded number of retries', async () => {
    fake.injectSecondaryRateLimit(LIST, { times: 10 });
    const octokit = createGitHubClient({ token: FAKE_TOKENS.actions, env: { GITHUB_API_URL: fake.url }, retryAfterBaseMs: 1, rateLimitRetries: 2 });
    const failure = await octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: 7 }).catch((error: unknown) => error);
    expect(readHttpStatus(failure)).toBe(403);
    expect(fake.countRequests(LIST)).toBe(3);
  });

  it('does not wait for a rate limit that resets too far ahead', async () => {
    fake.injectSecondaryRateLimit(LIST, { retryAfterSeconds: 3600 });
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    await expect(octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: 7 })).rejects.toMatchObject({ status: 403 });
    expect(fake.countRequests(LIST)).toBe(1);
  });

  it('retries a server error but not a conflict', async () => {
    const octokit = createGitHubClient({ token: FAKE_TOKENS.actions, env: { GITHUB_API_URL: fake.url }, retryAfterBaseMs: 1, paceWrites: false });
    fake.injectResponse(LIST, { status: 502, body: { message: 'Bad gateway' } });
    await octokit.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: 7 });
    expect(fake.requests.map((r) => r.status)).toEqual([502, 200]);

    fake.injectResponse(CREATE, { status: 409, body: { message: 'Conflict' } });
    await expect(octokit.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 7, body: 'x' })).rejects.toMatchObject({ status: 409 });
    expect(fake.countRequests(CREATE)).toBe(1);
  });
});
