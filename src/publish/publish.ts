/**
 * The publish phase: the sticky PR comment and the baseline. Neither may hide the verdict, so
 * neither throws: a comment the token may not write (a fork PR's read-only token), a comment GitHub
 * refuses or fails on, and a baseline that cannot be stored are warnings, and the report is still
 * in the job summary; a run that may not become a baseline is said so and left out.
 */
import { toError } from '../common/error-message.js';
import type { RepoRef } from '../github/event-context.js';
import { readHttpStatus, type GitHubClient } from '../github/octokit.js';
import type { ResultsDocument } from '../results/types.js';
import { findUnstorableReason } from './baseline-eligibility.js';
import type { BaselineDecision } from './baseline-policy.js';
import type { BaselineStore } from './baseline-store.js';
import { buildCommentMarker } from './comment-marker.js';
import type { CommentDecision } from './comment-policy.js';
import { findOwnComment, upsertComment } from './sticky-comment.js';

/** Where publishing says what it did; a failure to publish is a warning, never an exception. */
export interface PublishLog {
  info(line: string): void;
  warning(line: string): void;
}

export interface CommentRequest {
  octokit: GitHubClient;
  repository: RepoRef;
  decision: CommentDecision;
  /** The comment's markdown, rendered to fit with this key's marker (already redacted). */
  body: string;
  /** The `comment-key` input: one sticky comment per key. */
  commentKey: string;
}

/** What went wrong, with the HTTP status when GitHub answered one. */
function describePublishError(error: unknown): string {
  const status = readHttpStatus(error);
  return `${status === undefined ? '' : `HTTP ${status}: `}${toError(error).message}`;
}

/** Posts or updates the sticky comment as decided; returns its URL when there is one. Never throws. */
export async function publishComment(request: CommentRequest, io: PublishLog): Promise<string | undefined> {
  const { decision } = request;
  if (decision.kind === 'skip') {
    io.info(`no comment: ${decision.reason}`);
    return undefined;
  }
  try {
    return await upsertDecidedComment(request, decision, io);
  } catch (error) {
    io.warning(
      `could not comment on pull request #${decision.prNumber} (${describePublishError(error)}). ` +
        'The verdict stands and the report is in the job summary.',
    );
    return undefined;
  }
}

async function upsertDecidedComment(request: CommentRequest, decision: Exclude<CommentDecision, { kind: 'skip' }>, io: PublishLog): Promise<string | undefined> {
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

/** Appends the run to the baseline store when the decision and the run allow it. Never throws. */
export async function storeBaseline(request: BaselineRequest, io: PublishLog): Promise<void> {
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
  try {
    io.info(`stored as a baseline of '${decision.branch}': ${await request.store.append(results, key, request.retention)}`);
  } catch (error) {
    io.warning(`could not store the run as a baseline of '${decision.branch}' in ${request.store.description} (${describePublishError(error)}). The verdict stands.`);
  }
}
