/**
 * The two arms of a duet as commands that start a worker. Both are bundles of the same kind: the
 * head is a fresh bundle of the working tree, the base is the committed `dist/` of the base
 * commit, which is self-contained (no node_modules needed), so the base's dependencies never have
 * to be installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { toError } from '../common/error-message.js';
import type { ArmName } from './duet-types.js';
import type { WorkerCommand } from './worker-process.js';

const run = promisify(execFile);

/** The base commit's fetch gives up after this long: the run then falls back to the history. */
const FETCH_TIMEOUT_MS = 120_000;

/** An arm: a command that starts its worker, and the commit it was built from when known. */
export interface Arm extends WorkerCommand {
  name: ArmName;
  sha?: string;
}

/** The base arm, or why it cannot be had (the caller then falls back to the history verdict). */
export type BaseArmResult = { kind: 'available'; arm: Arm; reused: boolean } | { kind: 'unavailable'; reason: string };

/** Where the arms are prepared: `<root>/.perf-gate/arms`. */
export function armsFolder(repoRoot: string): string {
  return path.join(repoRoot, '.perf-gate', 'arms');
}

export async function git(repoRoot: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** The first line git wrote to stderr when a call failed (empty when it said nothing), for a one-line reason. */
export function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return typeof stderr === 'string' ? (stderr.trim().split('\n')[0] ?? '') : toError(error).message.split('\n')[0] ?? '';
}

/**
 * Builds the working tree's bundle (the project's esbuild config, both entries) into
 * `<armsDir>/head`, replacing an older one: the head is always the code as it is now.
 */
export async function prepareHeadArm(repoRoot: string, sha?: string): Promise<Arm> {
  const dir = path.join(armsFolder(repoRoot), 'head');
  await rm(dir, { recursive: true, force: true });
  // The build inherits the environment (PATH, HOME for npm's cache); nothing here reads a setting from it.
  // eslint-disable-next-line no-restricted-properties
  await run(process.execPath, ['esbuild.config.mjs'], { cwd: repoRoot, env: { ...process.env, PERF_GATE_BUNDLE_DIR: dir } });
  return { name: 'head', ...(sha ? { sha } : {}), command: [process.execPath, path.join(dir, 'worker.js')] };
}

/**
 * An arm from a bundle folder that already exists (the action's own `dist/`, whose worker.js sits
 * next to its index.js): nothing to build. Undefined when the folder holds no worker.js.
 */
export function bundleArm(name: ArmName, dir: string, sha?: string): Arm | undefined {
  const worker = path.join(dir, 'worker.js');
  if (!existsSync(worker)) return undefined;
  return { name, ...(sha ? { sha } : {}), command: [process.execPath, worker] };
}

/**
 * Makes `sha` present in the repository: a shallow checkout (actions/checkout's default depth 1)
 * lacks the base commit, so it is fetched from `origin` alone, one commit deep, without tags. A
 * commit already present is not fetched again. Returns why it could not be had, or undefined.
 */
export async function fetchCommit(repoRoot: string, sha: string): Promise<string | undefined> {
  const short = sha.slice(0, 12);
  if (!/^[0-9a-f]{40,64}$/.test(sha)) return `'${sha}' is not a commit sha`;
  const present = await git(repoRoot, ['cat-file', '-e', `${sha}^{commit}`]).then(
    () => true,
    () => false,
  );
  if (present) return undefined;
  try {
    // Never a credentials prompt (a checkout without persisted credentials would wait forever), and a bound on a stuck remote.
    // eslint-disable-next-line no-restricted-properties
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
    await run('git', ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', sha], { cwd: repoRoot, env, timeout: FETCH_TIMEOUT_MS });
  } catch (error) {
    return `could not fetch the base commit ${short} from origin${firstLine(error) ? ` (${firstLine(error)})` : ''}`;
  }
  return undefined;
}

/**
 * The commit `ref` names: itself for a commit or tag, the merge base with HEAD for a branch (local
 * or remote-tracking), so a branch's own later commits never count against it.
 */
export async function resolveBaseCommit(repoRoot: string, ref: string): Promise<{ sha: string } | { reason: string }> {
  if (ref.startsWith('-')) return { reason: `'${ref}' is not a git ref` };
  let sha: string;
  try {
    sha = await git(repoRoot, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch (error) {
    return { reason: `git cannot resolve '${ref}' to a commit${firstLine(error) ? ` (${firstLine(error)})` : ''}` };
  }
  const full = await git(repoRoot, ['rev-parse', '--symbolic-full-name', ref]).catch(() => '');
  if (!/^refs\/(heads|remotes)\//.test(full)) return { sha };
  try {
    return { sha: await git(repoRoot, ['merge-base', 'HEAD', sha]) };
  } catch (error) {
    return { reason: `HEAD and '${ref}' have no merge base${firstLine(error) ? ` (${firstLine(error)})` : ''}` };
  }
}

/**
 * The base arm for `--against <ref>`: the resolved commit's committed `dist/`, extracted with
 * `git archive` into `<armsDir>/<sha>` (kept and reused by later runs). Unavailable, with a
 * one-line reason, when git cannot resolve the ref or the commit has no `dist/worker.js`. With
 * `fetch` (the action: `ref` is the pull request's base sha), the commit is first fetched from
 * origin when the checkout lacks it, and a failed fetch makes it unavailable too.
 */
export async function prepareBaseArm(repoRoot: string, ref: string, options: { fetch?: boolean } = {}): Promise<BaseArmResult> {
  if (options.fetch) {
    const missing = await fetchCommit(repoRoot, ref);
    if (missing) return { kind: 'unavailable', reason: missing };
  }
  const resolved = await resolveBaseCommit(repoRoot, ref);
  if ('reason' in resolved) return { kind: 'unavailable', reason: resolved.reason };
  const { sha } = resolved;
  const short = sha.slice(0, 12);
  const dir = path.join(armsFolder(repoRoot), sha);
  const worker = path.join(dir, 'dist', 'worker.js');
  const arm: Arm = { name: 'base', sha, command: [process.execPath, worker] };
  if (existsSync(worker)) return { kind: 'available', arm, reused: true };
  try {
    await git(repoRoot, ['cat-file', '-e', `${sha}:dist/worker.js`]);
  } catch {
    const named = ref === sha ? '' : ` ('${ref}')`;
    return { kind: 'unavailable', reason: `the base commit ${short}${named} has no dist/worker.js: it predates duet` };
  }
  // Extract next to the final folder and rename, so a half-extracted folder is never reused.
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  try {
    await git(repoRoot, ['archive', '--format=tar', '-o', path.join(temp, 'dist.tar'), sha, 'dist']);
    await run('tar', ['-xf', 'dist.tar'], { cwd: temp });
    await rm(path.join(temp, 'dist.tar'));
    await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    return { kind: 'unavailable', reason: `could not extract dist/ of the base commit ${short}: ${firstLine(error)}` };
  }
  return { kind: 'available', arm, reused: false };
}
