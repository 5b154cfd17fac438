/**
 * The two arms of a duet of a user's project. Both run the same perf-gate worker (this
 * installation's dist/worker.js: one instrument for both), each on its own copy of the project: the
 * head on the working tree, the base on a git worktree of the base commit with its own
 * dependencies, installed from its lockfile with the project's package manager. Worktrees live
 * outside the repository (a tool that scans the repository must not find a second copy of it) and
 * are kept for the next run; a base commit's dependencies are installed once per lockfile.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { toError } from '../common/error-message.js';
import { fetchCommit, firstLine, git, resolveBaseCommit, type Arm, type BaseArmResult } from './arms.js';

const run = promisify(execFile);

/** A dependency install gives up after this long: the run then falls back to the history. */
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** What the project's arms are made from. */
export interface ProjectArmsRequest {
  /** The git repository's top folder. */
  repoRoot: string;
  /** The project (a package inside the repository, or its root). */
  projectDir: string;
  /** The perf file, absolute. */
  perfFile: string;
  /** This installation's dist/worker.js. */
  workerFile: string;
  /** Where worktrees and dependency caches go (default: the system's temporary folder). */
  cacheDir?: string;
}

function workerCommand(name: 'head' | 'base', request: ProjectArmsRequest, projectDir: string, perf: string, sha?: string): Arm {
  return {
    name,
    ...(sha ? { sha } : {}),
    command: [process.execPath, request.workerFile, '--project', projectDir, '--perf', perf],
    cwd: projectDir,
  };
}

/** The head: the working tree as it is. */
export function projectHeadArm(request: ProjectArmsRequest, sha?: string): Arm {
  return workerCommand('head', request, request.projectDir, path.relative(request.projectDir, request.perfFile), sha);
}

/** The lockfile of a project folder and the command that installs from it exactly. */
export function installCommand(dir: string): { lockfile: string; command: string[] } | undefined {
  const candidates: Array<[string, string[]]> = [
    ['package-lock.json', ['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error']],
    ['npm-shrinkwrap.json', ['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error']],
    ['pnpm-lock.yaml', ['pnpm', 'install', '--frozen-lockfile']],
    ['yarn.lock', ['yarn', 'install', '--frozen-lockfile']],
  ];
  const found = candidates.find(([lockfile]) => existsSync(path.join(dir, lockfile)));
  return found ? { lockfile: found[0], command: found[1] } : undefined;
}

/** The folder holding the project's lockfile: the project, or a workspace root above it. */
function lockfileFolder(projectDir: string, root: string): string | undefined {
  for (let dir = projectDir; ; dir = path.dirname(dir)) {
    if (installCommand(dir)) return dir;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

async function install(dir: string, command: string[]): Promise<void> {
  // The install inherits the environment (PATH, HOME for the package manager's cache).
  // eslint-disable-next-line no-restricted-properties
  await run(command[0]!, command.slice(1), { cwd: dir, env: process.env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Installs the base's dependencies into `folder` (the worktree's lockfile folder). A folder that
 * is a single package gets a `node_modules` link to a cache installed once per lockfile content;
 * a workspace installs in place. Returns how: 'reused' or 'installed'.
 */
async function installDependencies(folder: string, cacheDir: string): Promise<'reused' | 'installed'> {
  const how = installCommand(folder)!;
  const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { workspaces?: unknown };
  const lock = await readFile(path.join(folder, how.lockfile));
  const hash = createHash('sha256').update(lock).update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  if (manifest.workspaces !== undefined) {
    const marker = path.join(folder, 'node_modules', '.perf-gate-lock');
    if (existsSync(marker) && (await readFile(marker, 'utf8')) === hash) return 'reused';
    await install(folder, how.command);
    await writeFile(marker, hash);
    return 'installed';
  }
  const cached = path.join(cacheDir, 'deps', hash);
  let result: 'reused' | 'installed' = 'reused';
  if (!existsSync(path.join(cached, 'node_modules'))) {
    const partial = `${cached}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    await copyFile(path.join(folder, 'package.json'), path.join(partial, 'package.json'));
    await copyFile(path.join(folder, how.lockfile), path.join(partial, how.lockfile));
    await install(partial, how.command);
    await rm(cached, { recursive: true, force: true });
    await rename(partial, cached);
    result = 'installed';
  }
  await rm(path.join(folder, 'node_modules'), { recursive: true, force: true });
  await symlink(path.join(cached, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return result;
}

/** A detached worktree of `sha` under the cache, made once (a half-made one is replaced). */
async function worktreeOf(repoRoot: string, sha: string, cacheDir: string): Promise<string> {
  const dir = path.join(cacheDir, 'worktrees', sha);
  if (existsSync(path.join(dir, '.perf-gate-ready'))) return dir;
  await git(repoRoot, ['worktree', 'prune']);
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.dirname(dir), { recursive: true });
  await git(repoRoot, ['worktree', 'add', '--detach', '--force', dir, sha]);
  await writeFile(path.join(dir, '.perf-gate-ready'), sha);
  return dir;
}

/** The default cache folder of a repository: one per repository path, in the temporary folder. */
export function defaultCacheDir(repoRoot: string): string {
  return path.join(tmpdir(), 'perf-gate-arms', createHash('sha256').update(path.resolve(repoRoot)).digest('hex').slice(0, 12));
}

/**
 * The base arm for `--against <ref>` of a project: the commit's worktree with its dependencies.
 * Unavailable, with a one-line reason, when the commit cannot be had, lacks the perf file (it
 * predates the project's perf-gate suite) or its dependencies cannot be installed.
 */
export async function prepareProjectBaseArm(request: ProjectArmsRequest, ref: string, options: { fetch?: boolean; log?: (line: string) => void } = {}): Promise<BaseArmResult> {
  if (options.fetch) {
    const missing = await fetchCommit(request.repoRoot, ref);
    if (missing) return { kind: 'unavailable', reason: missing };
  }
  const resolved = await resolveBaseCommit(request.repoRoot, ref);
  if ('reason' in resolved) return { kind: 'unavailable', reason: resolved.reason };
  const { sha } = resolved;
  const short = sha.slice(0, 12);
  const relProject = path.relative(request.repoRoot, request.projectDir);
  const relPerf = path.relative(request.projectDir, request.perfFile);
  const inRepo = path.posix.join(relProject.split(path.sep).join('/') || '.', relPerf.split(path.sep).join('/'));
  try {
    await git(request.repoRoot, ['cat-file', '-e', `${sha}:${inRepo.replace(/^\.\//, '')}`]);
  } catch {
    return { kind: 'unavailable', reason: `the base commit ${short} has no ${inRepo}: it predates the perf file` };
  }
  const cacheDir = request.cacheDir ?? defaultCacheDir(request.repoRoot);
  try {
    const tree = await worktreeOf(request.repoRoot, sha, cacheDir);
    const projectDir = path.join(tree, relProject);
    const folder = lockfileFolder(projectDir, tree);
    if (!folder) return { kind: 'unavailable', reason: `the base commit ${short} has no lockfile (package-lock.json, pnpm-lock.yaml or yarn.lock) for ${relProject || 'the project'}` };
    const started = performance.now();
    const how = await installDependencies(folder, cacheDir);
    options.log?.(`base ${short}: dependencies ${how} (${installCommand(folder)!.command.slice(0, 2).join(' ')}) in ${Math.round(performance.now() - started)} ms`);
    return { kind: 'available', arm: workerCommand('base', request, projectDir, relPerf, sha), reused: how === 'reused' };
  } catch (error) {
    return { kind: 'unavailable', reason: `could not prepare the base commit ${short}: ${firstLine(error) || toError(error).message}` };
  }
}
