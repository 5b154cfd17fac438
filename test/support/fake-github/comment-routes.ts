/**
 * Issue comment and user routes of the fake GitHub server. As on GitHub, any token with write
 * access may edit any comment (a maintainer can): only the caller's own checks keep it off other
 * people's comments, which is what the tests must prove.
 */
import { defineRoute, HttpError, readObjectBody, requireWriter, type Route, type RouteRequest } from './router.js';
import { addComment, findRepo, type FakeComment, type FakeState } from './state.js';

const REPO = '/repos/{owner}/{repo}';
/** GitHub's limit on a comment body. */
const MAX_COMMENT_BYTES = 65_536;

function renderComment(baseUrl: string, comment: FakeComment): Record<string, unknown> {
  const repoPath = `${comment.owner}/${comment.repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${baseUrl}/repos/${repoPath}/issues/comments/${comment.id}`,
    html_url: `https://github.test/${repoPath}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${baseUrl}/repos/${repoPath}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: { ...comment.user, site_admin: false },
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  };
}

/** GitHub's pagination: `per_page` (default 30, at most 100), `page`, and a Link header. */
function paginate<T>(items: readonly T[], request: RouteRequest, path: string): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(request.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(request.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => `<${request.baseUrl}${path}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function readCommentBody(body: unknown): string {
  const input = readObjectBody(body);
  if (typeof input.body !== 'string' || input.body.length === 0) throw new HttpError(422, 'Invalid request. "body" wasn\'t supplied.');
  // GitHub's message says characters but does not say how it counts them; UTF-8 bytes are never
  // fewer than characters (or UTF-16 units), so a body this fake accepts fits whichever count applies.
  if (Buffer.byteLength(input.body, 'utf8') > MAX_COMMENT_BYTES) {
    throw new HttpError(422, 'Validation Failed: body is too long (maximum is 65536 characters)');
  }
  return input.body;
}

function findComment(state: FakeState, params: Record<string, string>): FakeComment {
  const repo = findRepo(state, params);
  const comment = repo.comments.find((c) => c.id === Number(params.comment_id));
  if (!comment) throw new HttpError(404, 'Not Found');
  return comment;
}

/** Comment and user routes over `state`. */
export function commentRoutes(state: FakeState): Route[] {
  return [
    defineRoute('GET /user', ({ identity }) => {
      if (!identity) throw new HttpError(401, 'Requires authentication');
      if (identity.installation) throw new HttpError(403, 'Resource not accessible by integration');
      return { status: 200, body: { login: identity.login, id: identity.id, type: identity.type } };
    }),
    defineRoute(`GET ${REPO}/issues/{issue_number}/comments`, (request) => {
      const repo = findRepo(state, request.params);
      const issueNumber = Number(request.params.issue_number);
      const all = repo.comments.filter((c) => c.issueNumber === issueNumber);
      const path = `/repos/${repo.owner}/${repo.name}/issues/${issueNumber}/comments`;
      const { page, headers } = paginate(all, request, path);
      return { status: 200, body: page.map((c) => renderComment(request.baseUrl, c)), headers };
    }),
    defineRoute(`POST ${REPO}/issues/{issue_number}/comments`, ({ params, body, identity, baseUrl }) => {
      const writer = requireWriter(identity);
      const repo = findRepo(state, params);
      const comment = addComment(state, repo, Number(params.issue_number), writer, readCommentBody(body));
      return { status: 201, body: renderComment(baseUrl, comment) };
    }),
    defineRoute(`GET ${REPO}/issues/comments/{comment_id}`, ({ params, baseUrl }) => {
      return { status: 200, body: renderComment(baseUrl, findComment(state, params)) };
    }),
    defineRoute(`PATCH ${REPO}/issues/comments/{comment_id}`, ({ params, body, identity, baseUrl }) => {
      requireWriter(identity);
      const comment = findComment(state, params);
      comment.body = readCommentBody(body);
      comment.updatedAt = new Date().toISOString();
      return { status: 200, body: renderComment(baseUrl, comment) };
    }),
    defineRoute(`DELETE ${REPO}/issues/comments/{comment_id}`, ({ params, identity }) => {
      requireWriter(identity);
      const repo = findRepo(state, params);
      const comment = findComment(state, params);
      repo.comments.splice(repo.comments.indexOf(comment), 1);
      return { status: 204 };
    }),
  ];
}
