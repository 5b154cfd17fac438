/**
 * A GitHub-shaped REST server on loopback for tests: point the client's GITHUB_API_URL at `url`.
 *
 * It keeps state the way GitHub does, so tests catch real mistakes:
 * - tokens map to identities (FAKE_TOKENS); an unknown token gets 401, a read-only one 403 on
 *   every write, an installation token 403 on `GET /user`;
 * - issue comments with `per_page` / `page` pagination and Link headers; any writer may edit any
 *   comment (as a maintainer can);
 * - git data: refs (create: 422 if it exists; update: 422 unless fast-forward), blobs, trees (with
 *   `base_tree`, `sha: null` deletes), commits; contents (GET with `ref`, PUT with a sha check: 409
 *   when stale); `GET /repos/{owner}/{repo}`.
 * Hooks: `injectResponse` / `injectSecondaryRateLimit` answer the next requests of a route with a
 * canned response; `holdUntil` makes requests of a route wait for each other (forces races);
 * `requests` and `countRequests` record every call by route key (e.g.
 * `GET /repos/{owner}/{repo}/issues/{issue_number}/comments`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { commentRoutes } from './fake-github/comment-routes.js';
import { contentsRoutes } from './fake-github/contents-routes.js';
import { gitRoutes } from './fake-github/git-routes.js';
import { errorBody, HttpError, matchRoute, type FakeIdentity, type Route, type RouteResponse } from './fake-github/router.js';
import { addComment, addRepo, type FakeComment, type FakeRepo, type FakeState } from './fake-github/state.js';

export type { FakeIdentity } from './fake-github/router.js';
export type { FakeComment, FakeRepo, FakeState } from './fake-github/state.js';

/** Tokens every fake server knows. */
export const FAKE_TOKENS = {
  /** GITHUB_TOKEN of a same-repository run: writes as github-actions[bot]. */
  actions: 'ghs_fake_actions',
  /** GITHUB_TOKEN of a fork PR: read-only. */
  readOnly: 'ghs_fake_read_only',
  /** A maintainer's personal access token. */
  maintainer: 'ghp_fake_maintainer',
  /** Another person's token. */
  other: 'ghp_fake_other',
} as const;

export const FAKE_IDENTITIES: Readonly<Record<string, FakeIdentity>> = {
  [FAKE_TOKENS.actions]: { login: 'github-actions[bot]', id: 41898282, type: 'Bot', installation: true, canWrite: true },
  [FAKE_TOKENS.readOnly]: { login: 'github-actions[bot]', id: 41898282, type: 'Bot', installation: true, canWrite: false },
  [FAKE_TOKENS.maintainer]: { login: 'maintainer', id: 1001, type: 'User', installation: false, canWrite: true },
  [FAKE_TOKENS.other]: { login: 'someone-else', id: 1002, type: 'User', installation: false, canWrite: true },
};

export interface FakeGitHubOptions {
  /** More tokens (or replacements), token -> identity. */
  identities?: Record<string, FakeIdentity>;
  /** Repositories to create, `owner/name` -> default branch and files. Default: `acme/shop` on main. */
  repos?: Record<string, { defaultBranch?: string; files?: Record<string, string> }>;
}

export interface RecordedRequest {
  method: string;
  /** The matched route key, or `unmatched`. */
  route: string;
  path: string;
  status: number;
  login: string | undefined;
}

export interface FakeGitHub {
  /** Base URL, for GITHUB_API_URL. */
  url: string;
  state: FakeState;
  requests: RecordedRequest[];
  /** A repository of the state (default `acme/shop`). */
  repo(fullName?: string): FakeRepo;
  /** Seeds a comment written by the identity of `token`. */
  addComment(fullName: string, issueNumber: number, token: string, body: string): FakeComment;
  /** How many requests matched `route` (a route key), or all requests when omitted. */
  countRequests(route?: string): number;
  /** Answers the next `times` (default 1) requests of `route` with `response` instead of the handler. */
  injectResponse(route: string, response: RouteResponse, times?: number): void;
  /** Answers the next `times` requests of `route` with GitHub's secondary rate limit 403. */
  injectSecondaryRateLimit(route: string, options?: { times?: number; retryAfterSeconds?: number }): void;
  /** Holds the next `parties` requests of `route` until all of them have arrived, then lets them run. */
  holdUntil(route: string, parties: number): void;
  close(): Promise<void>;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
  'If you reach out to GitHub Support for help, please include the request ID 0000:FAKE.';

interface Hooks {
  injected: Map<string, RouteResponse[]>;
  barriers: Map<string, { parties: number; waiting: Array<() => void> }>;
}

/** Starts the server on 127.0.0.1 with a random port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state: FakeState = {
    identities: new Map(Object.entries({ ...FAKE_IDENTITIES, ...options.identities })),
    repos: new Map(),
    nextCommentId: 1,
  };
  for (const [fullName, repoOptions] of Object.entries(options.repos ?? { 'acme/shop': {} })) addRepo(state, fullName, repoOptions);
  const routes = [...commentRoutes(state), ...gitRoutes(state), ...contentsRoutes(state)];
  const hooks: Hooks = { injected: new Map(), barriers: new Map() };
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    handleRequest({ state, routes, hooks, requests, baseUrl }, req, res).catch((error: unknown) => {
      send(res, { status: 500, body: errorBody(500, String(error)) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return buildHandle({ state, hooks, requests, baseUrl }, () => closeServer(server));
}

function buildHandle(
  parts: { state: FakeState; hooks: Hooks; requests: RecordedRequest[]; baseUrl: string },
  close: () => Promise<void>,
): FakeGitHub {
  const { state, hooks, requests } = parts;
  const repo = (fullName = 'acme/shop'): FakeRepo => {
    const found = state.repos.get(fullName);
    if (!found) throw new Error(`the fake has no repository '${fullName}'`);
    return found;
  };
  const injectResponse = (route: string, response: RouteResponse, times = 1): void => {
    const queue = hooks.injected.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(response);
    hooks.injected.set(route, queue);
  };
  return {
    url: parts.baseUrl,
    state,
    requests,
    repo,
    addComment: (fullName, issueNumber, token, body) => {
      const identity = state.identities.get(token);
      if (!identity) throw new Error(`the fake knows no token '${token}'`);
      return addComment(state, repo(fullName), issueNumber, identity, body);
    },
    countRequests: (route) => requests.filter((r) => route === undefined || r.route === route).length,
    injectResponse,
    injectSecondaryRateLimit: (route, { times = 1, retryAfterSeconds = 1 } = {}) =>
      injectResponse(route, { status: 403, body: errorBody(403, SECONDARY_RATE_LIMIT_MESSAGE), headers: { 'retry-after': String(retryAfterSeconds) } }, times),
    holdUntil: (route, parties) => hooks.barriers.set(route, { parties, waiting: [] }),
    close,
  };
}

interface ServerParts {
  state: FakeState;
  routes: Route[];
  hooks: Hooks;
  requests: RecordedRequest[];
  baseUrl: string;
}

async function handleRequest(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', parts.baseUrl);
  const method = req.method ?? 'GET';
  const body = await readJson(req);
  const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const identity = token === undefined ? undefined : parts.state.identities.get(token);
  const matched = matchRoute(parts.routes, method, url.pathname);
  const routeKey = matched?.route.key ?? 'unmatched';
  let response: RouteResponse;
  if (token !== undefined && !identity) response = { status: 401, body: errorBody(401, 'Bad credentials') };
  else if (!matched) response = { status: 404, body: errorBody(404, 'Not Found') };
  else {
    await waitAtBarrier(parts.hooks, routeKey);
    response = parts.hooks.injected.get(routeKey)?.shift() ?? runHandler(matched.route, { params: matched.params, query: url.searchParams, body, identity, baseUrl: parts.baseUrl });
  }
  parts.requests.push({ method, route: routeKey, path: url.pathname + url.search, status: response.status, login: identity?.login });
  send(res, response);
}

function runHandler(route: Route, request: Parameters<Route['handler']>[0]): RouteResponse {
  try {
    return route.handler(request);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, body: errorBody(error.status, error.message), headers: error.headers };
  }
}

async function waitAtBarrier(hooks: Hooks, route: string): Promise<void> {
  const barrier = hooks.barriers.get(route);
  if (!barrier) return;
  if (barrier.waiting.length + 1 >= barrier.parties) {
    hooks.barriers.delete(route);
    for (const release of barrier.waiting) release();
    return;
  }
  await new Promise<void>((resolve) => barrier.waiting.push(resolve));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string> = { 'x-github-request-id': 'FAKE', ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(response.body));
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
