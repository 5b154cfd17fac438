/**
 * Routing for the fake GitHub server: route keys written as in GitHub's REST docs
 * (`GET /repos/{owner}/{repo}/git/ref/{ref+}`; a `+` parameter takes the rest of the path, so a ref
 * or file path matches whether its slashes are sent raw or as %2F).
 */

/** The caller behind a request's token. */
export interface FakeIdentity {
  login: string;
  id: number;
  type: 'User' | 'Bot';
  /** An installation token (GITHUB_TOKEN, a GitHub App): `GET /user` answers 403. */
  installation: boolean;
  /** False for a fork PR's read-only token: every write answers 403. */
  canWrite: boolean;
}

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Undefined for an anonymous request. */
  identity: FakeIdentity | undefined;
  /** Base URL of the server, for the `url` fields and Link headers. */
  baseUrl: string;
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: RouteRequest) => RouteResponse;

export interface Route {
  key: string;
  method: string;
  segments: string[];
  handler: RouteHandler;
}

/** Thrown by a handler to answer with GitHub's error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** GitHub's error body shape. */
export function errorBody(status: number, message: string): Record<string, string> {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}

/** Builds a route from a key such as `PATCH /repos/{owner}/{repo}/git/refs/{ref+}`. */
export function defineRoute(key: string, handler: RouteHandler): Route {
  const [method, template] = key.split(' ');
  if (!method || !template) throw new Error(`route key must be 'METHOD /path', got '${key}'`);
  return { key, method, segments: template.split('/').slice(1), handler };
}

/** Matches a raw pathname against the routes; returns the route and its decoded parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  const raw = pathname.split('/').slice(1);
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = matchSegments(route.segments, raw);
    if (params) return { route, params };
  }
  return undefined;
}

function matchSegments(template: readonly string[], raw: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, part] of template.entries()) {
    const name = /^\{(\w+)(\+?)\}$/.exec(part);
    if (name?.[1] && name[2] === '+') {
      const rest = raw.slice(index);
      if (rest.length === 0) return undefined;
      params[name[1]] = rest.map(decodeURIComponent).join('/');
      return params;
    }
    const segment = raw[index];
    if (segment === undefined) return undefined;
    if (name?.[1]) params[name[1]] = decodeURIComponent(segment);
    else if (segment !== part) return undefined;
  }
  return template.length === raw.length ? params : undefined;
}

/** Requires a write-capable identity, as GitHub does for every mutating call. */
export function requireWriter(identity: FakeIdentity | undefined): FakeIdentity {
  if (!identity) throw new HttpError(401, 'Requires authentication');
  if (!identity.canWrite) throw new HttpError(403, 'Resource not accessible by integration');
  return identity;
}

/** Reads a JSON object body, or answers 400 like GitHub for anything else. */
export function readObjectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'Problems parsing JSON');
  return body as Record<string, unknown>;
}
