/**
 * The gate's one comment per pull request: found by a hidden marker and by author, updated in
 * place, created only when there is none.
 *
 * Author rule: the comment must have been written by the token's own identity. `GET /user` names
 * it for a personal access token; an installation token (GITHUB_TOKEN) gets 403 there, and then
 * the identity is `github-actions[bot]`, the author of every comment GITHUB_TOKEN writes. A GitHub
 * App token gets 403 too and writes as `<app-slug>[bot]`: pass `authorLogin` for it. A comment by
 * anyone else that merely contains the marker (a quote, a copy) is never touched.
 */
import { describeError } from '../common/error-message.js';
import { readHttpStatus, type GitHubClient } from '../github/octokit.js';
import { truncateMarkdown } from '../report/fit-markdown.js';
import { MAX_COMMENT_BYTES } from './comment-marker.js';

/** Who GITHUB_TOKEN writes as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface UpsertCommentRequest {
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
  /** Markdown body; the marker is prepended when the body lacks it, and the body is cut to GitHub's limit. */
  body: string;
  /** Hidden text that identifies the gate's comment, see buildCommentMarker (comment-marker.ts). */
  marker: string;
  /** The token's login when known (e.g. a GitHub App's `slug[bot]`); skips `GET /user`. */
  authorLogin?: string;
}

export type UpsertCommentOutcome =
  | { kind: 'created'; commentId: number; url: string }
  | { kind: 'updated'; commentId: number; url: string }
  /** The token may not write comments (a fork PR's read-only token): the caller warns. */
  | { kind: 'forbidden'; message: string; url: string | undefined };

interface CommentSummary {
  id: number;
  url: string;
}

const CUT_NOTICE = "_Comment cut here to stay within GitHub's size limit: the full report is in the gate run's job summary._";

/**
 * The body as it is sent: the marker first unless the body carries it, and never over GitHub's
 * limit. The report is rendered to fit with the marker counted; cutting here is the last guard.
 */
export function prepareCommentBody(body: string, marker: string): string {
  const marked = body.includes(marker) ? body : `${marker}\n${body}`;
  return truncateMarkdown(marked, MAX_COMMENT_BYTES, CUT_NOTICE);
}

/** Updates the gate's own comment on the PR, or creates it when there is none. */
export async function upsertComment(octokit: GitHubClient, request: UpsertCommentRequest): Promise<UpsertCommentOutcome> {
  const body = prepareCommentBody(request.body, request.marker);
  let existing: CommentSummary | undefined;
  try {
    existing = await findOwnComment(octokit, request);
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({ ...repoOf(request), comment_id: existing.id, body });
      return { kind: 'updated', commentId: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({ ...repoOf(request), issue_number: request.issueNumber, body });
    return { kind: 'created', commentId: data.id, url: data.html_url };
  } catch (error) {
    if (readHttpStatus(error) !== 403) throw error;
    return { kind: 'forbidden', message: describeError(error), url: existing?.url };
  }
}

/**
 * Walks every page of the PR's comments (oldest first) and returns the first one that carries the
 * marker and was written by the token's identity. The identity is looked up only once a marked
 * comment turns up, so the first run costs no `GET /user`.
 */
export async function findOwnComment(
  octokit: GitHubClient,
  request: Pick<UpsertCommentRequest, 'owner' | 'repo' | 'issueNumber' | 'marker' | 'authorLogin'>,
): Promise<CommentSummary | undefined> {
  let login = request.authorLogin;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...repoOf(request),
    issue_number: request.issueNumber,
    per_page: 100,
  });
  for await (const page of pages) {
    for (const comment of page.data) {
      if (!comment.body?.includes(request.marker)) continue;
      login ??= await readTokenLogin(octokit);
      if (comment.user?.login.toLowerCase() === login.toLowerCase()) {
        return { id: comment.id, url: comment.html_url };
      }
    }
  }
  return undefined;
}

/** The login the token writes as: `GET /user`, or github-actions[bot] for an installation token. */
export async function readTokenLogin(octokit: GitHubClient): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = readHttpStatus(error);
    if (status === 403 || status === 404) return ACTIONS_BOT_LOGIN;
    throw error;
  }
}

function repoOf(request: { owner: string; repo: string }): { owner: string; repo: string } {
  return { owner: request.owner, repo: request.repo };
}
