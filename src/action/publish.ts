/**
 * The publish phase: the sticky PR comment and the baseline. Neither may hide the verdict: a comment
 * the token may not write (a fork PR's read-only token) is a warning, and the report is still in
 * the job summary; a run that may not become a baseline is said so and left out.
 */
import type { RepoRef } from '../github/event-context.js';
import { buildCommentMarker } from '../github/comment-marker.js';
import type { GitHubClient } from '../github/octokit.js';
import { findOwnComment, upsertComment } from '../github/sticky-comment.js';
import { findUnstorableReason } from '../gate/baseline-eligibility.js';
import type { ResultsDocument } from '../results/types.js';
import type { BaselineStore } from '../store/baseline-store.js';
import type { ActionIo } from './action-io.js';
import type { BaselineDecision } from './baseline-policy.js';
import type { CommentDecision } from './comment-policy.js';

export interface CommentRequest {
  octokit: GitHubClient;
  repository: RepoRef;
  decision: CommentDecision;
  /** The comment's markdown, rendered to fit with this key's marker (already redacted). */
  body: string;
  /** The `comment-key` input: one sticky comment per key. */
  commentKey: string;
}

/** Posts or updates the sticky comment as decided; returns its URL when there is one. */
export async function publishComment(request: CommentRequest, io: ActionIo): Promise<string | undefined> {
  const { decision } = request;
  if (decision.kind === 'skip') {
    io.info(`no comment: ${decision.reason}`);
    return undefined;
  }
  const target = { ...request.repository, issueNumber: decision.prNumber, marker: buildCommentMarker(request.commentKey) };
  if (decision.kind === 'update-existing' && !(await findOwnComment(request.octokit, target))) {
    io.info("no comment: the run passed and 'comment' is on-regression");
    return undefined;
  }
  const outcome = await upsertComment(request.octokit, { ...target, body: request.body });
  if (outcome.kind === 'forbidden') {
    io.warning(
      `could not comment on pull request #${decision.prNumber}: the token may not write comments (a fork pull request's ` +
        `read-only token?). The report is in the job summary; see the README for the two-stage fork workflow. (${outcome.message})`,
    );
    return outcome.url;
  }
  io.info(`comment ${outcome.kind}: ${outcome.url}`);
  return outcome.url;
}

export interface BaselineRequest {
  store: BaselineStore;
  decision: BaselineDecision;
  results: ResultsDocument;
  retention: number;
}

/** Appends the run to the baseline store when the decision and the run allow it. */
export async function storeBaseline(request: BaselineRequest, io: ActionIo): Promise<void> {
  const { decision, results } = request;
  if (decision.kind === 'skip') {
    (decision.warn ? io.warning : io.info)(`not stored as a baseline: ${decision.reason}`);
    return;
  }
  const unstorable = findUnstorableReason(results);
  if (unstorable) {
    io.warning(`not stored as a baseline: ${unstorable}; a failed run never overwrites a stored baseline`);
    return;
  }
  const key = { branch: decision.branch, sha: decision.sha, startedAt: results.run.startedAt };
  io.info(`stored as a baseline of '${decision.branch}': ${await request.store.append(results, key, request.retention)}`);
}
