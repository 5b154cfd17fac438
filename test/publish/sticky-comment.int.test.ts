import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommentMarker, MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { upsertComment } from '../../src/publish/sticky-comment.js';
import { createFakeClient } from '../support/fake-github-client.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

const MARKER = buildCommentMarker('perf-gate');
const LIST = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
const target = { owner: 'acme', repo: 'shop', issueNumber: 7, marker: MARKER };

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  await fake.close();
});

function commentsOf(issueNumber: number) {
  return fake.repo().comments.filter((c) => c.issueNumber === issueNumber);
}

describe('upsertComment', () => {
  it('creates the comment once and updates it on the next run', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    const first = await upsertComment(octokit, { ...target, body: 'run 1' });
    expect(first).toMatchObject({ kind: 'created', url: expect.stringContaining('#issuecomment-') });
    expect(fake.countRequests('GET /user')).toBe(0);

    const second = await upsertComment(octokit, { ...target, body: `${MARKER}\nrun 2` });
    expect(second).toEqual({ kind: 'updated', commentId: first.kind === 'created' ? first.commentId : -1, url: expect.any(String) });
    expect(commentsOf(7)).toHaveLength(1);
    expect(commentsOf(7)[0]).toMatchObject({ body: `${MARKER}\nrun 2`, user: { login: 'github-actions[bot]' } });
    // GITHUB_TOKEN cannot read /user: one 403 there, then the bot login is assumed.
    expect(fake.requests.filter((r) => r.route === 'GET /user').map((r) => r.status)).toEqual([403]);
  });

  it("never edits another user's comment that merely contains the marker", async () => {
    const quoted = fake.addComment('acme/shop', 7, FAKE_TOKENS.other, `> ${MARKER}\n> the gate said this`);
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    const outcome = await upsertComment(octokit, { ...target, body: 'report' });
    expect(outcome.kind).toBe('created');
    expect(commentsOf(7)).toHaveLength(2);
    expect(commentsOf(7)[0]).toEqual(quoted);
    expect(commentsOf(7)[1]?.body).toBe(`${MARKER}\nreport`);
  });

  it('uses GET /user to find the identity of a personal access token', async () => {
    fake.addComment('acme/shop', 7, FAKE_TOKENS.actions, `${MARKER}\nwritten by the bot`);
    const mine = fake.addComment('acme/shop', 7, FAKE_TOKENS.maintainer, `${MARKER}\nwritten by the maintainer`);
    const octokit = createFakeClient(fake, FAKE_TOKENS.maintainer);
    const outcome = await upsertComment(octokit, { ...target, body: 'new' });
    expect(outcome).toMatchObject({ kind: 'updated', commentId: mine.id });
    expect(commentsOf(7)[0]?.body).toBe(`${MARKER}\nwritten by the bot`);
  });

  it('finds its comment on page 3 of 3', async () => {
    for (let i = 0; i < 230; i++) fake.addComment('acme/shop', 7, FAKE_TOKENS.other, `chatter ${i}`);
    const own = fake.addComment('acme/shop', 7, FAKE_TOKENS.actions, `${MARKER}\nold report`);
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    const outcome = await upsertComment(octokit, { ...target, body: 'new report' });
    expect(outcome).toMatchObject({ kind: 'updated', commentId: own.id });
    expect(fake.requests.filter((r) => r.route === LIST).map((r) => r.path)).toEqual([
      '/repos/acme/shop/issues/7/comments?per_page=100',
      '/repos/acme/shop/issues/7/comments?per_page=100&page=2',
      '/repos/acme/shop/issues/7/comments?per_page=100&page=3',
    ]);
    expect(commentsOf(7)).toHaveLength(231);
  });

  it('returns forbidden for a read-only token instead of throwing', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.readOnly);
    const created = await upsertComment(octokit, { ...target, body: 'report' });
    expect(created).toEqual({ kind: 'forbidden', message: expect.stringContaining('Resource not accessible by integration'), url: undefined });

    const own = fake.addComment('acme/shop', 7, FAKE_TOKENS.actions, `${MARKER}\nold`);
    const updated = await upsertComment(octokit, { ...target, body: 'report' });
    expect(updated).toMatchObject({ kind: 'forbidden', url: expect.stringContaining(`#issuecomment-${own.id}`) });
    expect(commentsOf(7).map((c) => c.body)).toEqual([`${MARKER}\nold`]);
  });

  it('never sends a body over GitHub\'s limit: cut at a line, marker first, saying so', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    const body = Array.from({ length: 4000 }, (_, i) => `| row ${i} | ${'é'.repeat(10)} |`).join('\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_COMMENT_BYTES);
    expect(await upsertComment(octokit, { ...target, body })).toMatchObject({ kind: 'created' });
    const stored = commentsOf(7)[0]?.body ?? '';
    expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(stored.startsWith(`${MARKER}\n| row 0 |`)).toBe(true);
    expect(stored).toMatch(/\| row \d+ \| é{10} \|\n\n_Comment cut here to stay within GitHub's size limit: the full report is in the gate run's job summary\._$/);
  });

  it('rethrows other failures', async () => {
    const octokit = createFakeClient(fake, FAKE_TOKENS.actions);
    await expect(upsertComment(octokit, { ...target, repo: 'missing', body: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});
