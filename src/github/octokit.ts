/**
 * The GitHub client: @actions/github's Octokit with the retry plugin (server errors) and the
 * throttling plugin (primary and secondary rate limits back off, a bounded number of times).
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';

/** The client every module under src/github takes as its first argument. */
export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** Token for the Authorization header (GITHUB_TOKEN or a PAT). */
  token: string;
  /** Supplies GITHUB_API_URL (GitHub Enterprise, or a loopback server in tests). */
  env: NodeJS.ProcessEnv;
  /** How many times one request is retried after a rate limit. Default 3. */
  rateLimitRetries?: number;
  /** Longest wait, in seconds, the client accepts before retrying a rate-limited request. Default 120. */
  maxRetryAfterSeconds?: number;
  /**
   * Milliseconds per second of `retry-after` (1000 on GitHub). Tests set 1 so that a
   * `retry-after: 1` waits 1 ms.
   */
  retryAfterBaseMs?: number;
  /**
   * Space content-creating writes as GitHub asks (the plugin's default: 1 s between writes, 3 s
   * between notifying ones). Default true; tests against a loopback server turn it off.
   */
  paceWrites?: boolean;
  /** Told about each rate limit and retry; detail for core.warning / core.debug. */
  onWarning?: (message: string) => void;
}

/** Statuses our own code handles (not found, forbidden, conflicts), so the retry plugin leaves them. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

/** Creates the client. Reads nothing from the environment except `env.GITHUB_API_URL`. */
export function createGitHubClient(options: ClientOptions): GitHubClient {
  const retryAfterBaseValue = options.retryAfterBaseMs ?? 1000;
  return getOctokit(
    options.token,
    {
      baseUrl: (options.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      retry: { doNotRetry: DO_NOT_RETRY, retries: 3, retryAfterBaseValue },
      throttle: buildThrottleOptions(options, retryAfterBaseValue),
      log: silentLog(options.onWarning),
    },
    retry,
    throttling,
  );
}

function buildThrottleOptions(options: ClientOptions, retryAfterBaseValue: number): ThrottlingOptions {
  const maxRetries = options.rateLimitRetries ?? 3;
  const maxWait = options.maxRetryAfterSeconds ?? 120;
  const warn = options.onWarning ?? (() => undefined);
  const decide = (limit: string) => (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
    const route = `${request.method} ${request.url}`;
    if (count < maxRetries && retryAfter <= maxWait) {
      warn(`GitHub ${limit} rate limit on ${route}; retry ${count + 1} of ${maxRetries} in ${retryAfter} s`);
      return true;
    }
    warn(`GitHub ${limit} rate limit on ${route}; giving up after ${count} retries (retry-after ${retryAfter} s)`);
    return false;
  };
  return {
    // A fresh id per client: the plugin's limiter groups are per process and keyed by id.
    id: `perf-gate-${Math.random().toString(36).slice(2)}`,
    retryAfterBaseValue,
    fallbackSecondaryRateRetryAfter: 60,
    onRateLimit: decide('primary'),
    onSecondaryRateLimit: decide('secondary'),
    ...(options.paceWrites === false ? unpacedGroups() : {}),
  };
}

interface ImmediateLimiter {
  schedule<A extends unknown[], R>(options: object, job: (...args: A) => R, ...args: A): R;
}

/**
 * Limiter groups that run each job at once. The plugin accepts its write / notification groups as
 * options (meant for clustering); these satisfy the two methods it calls, `key(id).schedule(...)`.
 */
function unpacedGroups(): Pick<ThrottlingOptions, 'write'> & { notifications: ThrottlingOptions['write'] } {
  const limiter: ImmediateLimiter = { schedule: (_options, job, ...args) => job(...args) };
  const group = { key: () => limiter } as unknown as NonNullable<ThrottlingOptions['write']>;
  return { write: group, notifications: group };
}

/** Octokit logs request failures itself; route warnings to the caller and drop the rest. */
function silentLog(onWarning: ((message: string) => void) | undefined) {
  const ignore = (): void => undefined;
  return { debug: ignore, info: ignore, warn: onWarning ?? ignore, error: ignore };
}

/** The HTTP status of a failed GitHub request (an Octokit RequestError), else undefined. */
export function readHttpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
