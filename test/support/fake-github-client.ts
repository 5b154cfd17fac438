/** A GitHub client pointed at a fake server, with GitHub's pacing off and retry-after in ms. */
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js';
import type { FakeGitHub } from './fake-github.js';

/** Creates a client for `fake` that authenticates with `token`; warnings go to `warnings`. */
export function createFakeClient(fake: FakeGitHub, token: string, warnings: string[] = []): GitHubClient {
  return createGitHubClient({
    token,
    env: { GITHUB_API_URL: fake.url },
    retryAfterBaseMs: 1,
    paceWrites: false,
    onWarning: (message) => warnings.push(message),
  });
}
