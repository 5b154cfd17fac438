/**
 * The publish phase against the fake GitHub: a comment GitHub refuses (422) or keeps failing on
 * (500, after the client's retries), and a baseline branch whose updates keep conflicting, are
 * warnings; nothing is thrown, so the verdict alone decides the step (see run-gate-mode.ts, and the
 * end-to-end test with `fail-on: never`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubBranchStore } from '../../src/publish/baseline-branch-store.js';
import { publishComment, storeBaseline } from '../../src/publish/publish.js';
import { validateResults } from '../../src/results/results-io.js';
import { createRecordingIo } from '../action/support/recording-io.js';
import { createFakeClient } from '../support/fake-github-client.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

const CREATE_COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const UPDATE_REF = 'PATCH /repos/{owner}/{repo}/git/refs/{ref+}';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  await fake.close();
});

function commentRequest() {
  return {
    octokit: createFakeClient(fake, FAKE_TOKENS.actions),
    repository: { owner: 'acme', repo: 'shop' },
    decision: { kind: 'upsert' as const, prNumber: 7 },
    body: '✅ **perf-gate: pass**',
    commentKey: 'perf-gate',
  };
}

describe('publishComment', () => {
  it('warns when GitHub refuses the comment (422), and throws nothing', async () => {
    fake.injectResponse(CREATE_COMMENT, { status: 422, body: { message: 'Validation Failed: body is too long (maximum is 65536 characters)' } });
    const io = createRecordingIo();
    expect(await publishComment(commentRequest(), io)).toBeUndefined();
    expect(io.warnings).toEqual([
      expect.stringMatching(/^could not comment on pull request #7 \(HTTP 422: Validation Failed: body is too long .*\)\. The verdict stands and the report is in the job summary\.$/),
    ]);
    expect(fake.repo().comments).toEqual([]);
  });

  it('warns when GitHub keeps failing (500) after the client has retried', async () => {
    fake.injectResponse(CREATE_COMMENT, { status: 500, body: { message: 'Server Error' } }, 4);
    const io = createRecordingIo();
    expect(await publishComment(commentRequest(), io)).toBeUndefined();
    expect(fake.requests.filter((r) => r.route === CREATE_COMMENT).map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect(io.warnings).toEqual([expect.stringMatching(/^could not comment on pull request #7 \(HTTP 500: Server Error/)]);
  });
});

describe('storeBaseline', () => {
  it('warns when the baseline branch keeps conflicting past its retries, and throws nothing', async () => {
    fake.injectResponse(UPDATE_REF, { status: 422, body: { message: 'Update is not a fast forward' } }, 10);
    const store = new GitHubBranchStore({ octokit: createFakeClient(fake, FAKE_TOKENS.actions), owner: 'acme', repo: 'shop', validate: validateResults, maxAttempts: 3, backoffMs: 1 });
    const results = makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: 0.3 })] });
    const io = createRecordingIo();
    await storeBaseline({ store, decision: { kind: 'store', branch: 'main', sha: 'a'.repeat(40) }, results, retention: 10 }, io);
    expect(fake.requests.filter((r) => r.route === UPDATE_REF).map((r) => r.status)).toEqual([422, 422, 422]);
    expect(io.warnings).toEqual([
      expect.stringMatching(/^could not store the run as a baseline of 'main' in branch 'perf-baselines' of acme\/shop \(HTTP 422: Update is not a fast forward.*\)\. The verdict stands\.$/),
    ]);
  });
});
