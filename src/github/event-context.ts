/**
 * What the workflow run is about, read from the runner's environment and the event payload. The
 * reader is pure (both are passed in); `readEventContextFromRunner` is the thin wrapper that reads
 * GITHUB_EVENT_PATH.
 */
import { readFileSync } from 'node:fs';

export interface RepoRef {
  owner: string;
  repo: string;
}

interface ContextBase {
  /** GITHUB_EVENT_NAME as given. */
  eventName: string;
  repository: RepoRef;
  /** The repository's default branch, from the payload (undefined when the payload lacks it). */
  defaultBranch: string | undefined;
  /** GITHUB_SHA: the commit the workflow checked out by default. */
  sha: string;
  /** GITHUB_REF, e.g. refs/heads/main or refs/pull/7/merge. */
  ref: string;
}

/** A pull_request or pull_request_target run. */
export interface PullRequestContext extends ContextBase {
  kind: 'pull_request' | 'pull_request_target';
  prNumber: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  baseSha: string;
  /** The head lives in another repository (or a deleted one): the token is read-only. */
  isFork: boolean;
}

export interface PushContext extends ContextBase {
  kind: 'push';
  /** Branch pushed to, or undefined for a tag push. */
  branch: string | undefined;
  headSha: string;
  isDefaultBranch: boolean;
}

/** The second stage for fork PRs: a run triggered by the completed pull_request workflow. */
export interface WorkflowRunContext extends ContextBase {
  kind: 'workflow_run';
  /** The triggering run's event, e.g. pull_request. */
  triggeringEvent: string;
  headSha: string;
  headBranch: string | undefined;
  /** Empty for fork PRs (GitHub lists only same-repository PRs): take it from the artifact. */
  prNumbers: number[];
  isFork: boolean;
}

export interface OtherEventContext extends ContextBase {
  kind: 'other';
}

export type EventContext = PullRequestContext | PushContext | WorkflowRunContext | OtherEventContext;

/** The events that run for a pull request: the gate reads its base branch, comments, never stores. */
const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

/** Whether an event name (GITHUB_EVENT_NAME, a workflow_run's triggering event) is a pull request's. */
export function isPullRequestEvent(eventName: string): boolean {
  return PULL_REQUEST_EVENTS.includes(eventName);
}

/** Whether the run is for a pull request (pull_request or pull_request_target). */
export function isPullRequest(context: EventContext): context is PullRequestContext {
  return isPullRequestEvent(context.kind);
}

/** The payload is someone else's JSON: walk it without trusting its shape. */
type Json = Record<string, unknown>;

/**
 * Reads the context from `env` (GITHUB_EVENT_NAME, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF) and
 * the parsed event payload. Throws naming the variable or payload field that is missing.
 */
export function readEventContext(env: NodeJS.ProcessEnv, payload: unknown): EventContext {
  const event = asObject(payload) ?? {};
  const base = readBase(env, event);
  switch (base.eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return { ...base, kind: base.eventName, ...readPullRequest(event) };
    case 'push':
      return readPush(base, event);
    case 'workflow_run':
      return { ...base, kind: 'workflow_run', ...readWorkflowRun(event, base.repository) };
    default:
      return { ...base, kind: 'other' };
  }
}

/** Reads GITHUB_EVENT_PATH (when set) and calls readEventContext. */
export function readEventContextFromRunner(env: NodeJS.ProcessEnv): EventContext {
  const eventPath = env.GITHUB_EVENT_PATH;
  const payload: unknown = eventPath ? JSON.parse(readFileSync(eventPath, 'utf8')) : {};
  return readEventContext(env, payload);
}

function readBase(env: NodeJS.ProcessEnv, event: Json): ContextBase {
  const repository = requireEnv(env, 'GITHUB_REPOSITORY');
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`GITHUB_REPOSITORY must be 'owner/name', got '${repository}'`);
  }
  return {
    eventName: requireEnv(env, 'GITHUB_EVENT_NAME'),
    repository: { owner, repo },
    defaultBranch: optionalString(asObject(event.repository)?.default_branch),
    sha: requireEnv(env, 'GITHUB_SHA'),
    ref: env.GITHUB_REF ?? '',
  };
}

function readPullRequest(event: Json): Omit<PullRequestContext, keyof ContextBase | 'kind'> {
  const pr = asObject(event.pull_request);
  if (!pr) throw new Error("the event payload has no 'pull_request' object");
  const head = asObject(pr.head) ?? {};
  const base = asObject(pr.base) ?? {};
  const headRepo = optionalString(asObject(head.repo)?.full_name);
  const baseRepo = optionalString(asObject(base.repo)?.full_name);
  return {
    prNumber: requireNumber(pr.number, 'pull_request.number'),
    headSha: requireString(head.sha, 'pull_request.head.sha'),
    headRef: requireString(head.ref, 'pull_request.head.ref'),
    baseRef: requireString(base.ref, 'pull_request.base.ref'),
    baseSha: requireString(base.sha, 'pull_request.base.sha'),
    isFork: headRepo === undefined || headRepo !== baseRepo,
  };
}

function readPush(base: ContextBase, event: Json): PushContext {
  const ref = optionalString(event.ref) ?? base.ref;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  return {
    ...base,
    kind: 'push',
    branch,
    headSha: optionalString(event.after) ?? base.sha,
    isDefaultBranch: branch !== undefined && branch === base.defaultBranch,
  };
}

function readWorkflowRun(event: Json, repository: RepoRef): Omit<WorkflowRunContext, keyof ContextBase | 'kind'> {
  const run = asObject(event.workflow_run);
  if (!run) throw new Error("the event payload has no 'workflow_run' object");
  const headRepo = optionalString(asObject(run.head_repository)?.full_name);
  const prs = Array.isArray(run.pull_requests) ? run.pull_requests : [];
  return {
    triggeringEvent: requireString(run.event, 'workflow_run.event'),
    headSha: requireString(run.head_sha, 'workflow_run.head_sha'),
    headBranch: optionalString(run.head_branch),
    prNumbers: prs.map((pr) => asObject(pr)?.number).filter((n): n is number => typeof n === 'number'),
    isFork: headRepo !== `${repository.owner}/${repository.repo}`,
  };
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function requireString(value: unknown, field: string): string {
  const text = optionalString(value);
  if (text === undefined) throw new Error(`the event payload's '${field}' must be a string, got ${JSON.stringify(value)}`);
  return text;
}

function requireNumber(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`the event payload's '${field}' must be a whole number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function requireEnv(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} must be set (the runner sets it), got '${value ?? ''}'`);
  return value;
}
