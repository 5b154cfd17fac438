/**
 * The action as a user's runner has it: the bundle built into a temp folder, copied into a "runner"
 * folder with no node_modules anywhere above it, next to a workspace whose package.json names other
 * @mikro-orm versions (a real user's repository).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Builds the bundle with `npm run bundle` into a temp folder; returns the folder holding index.js,
 * worker.js and the chunks/ they share.
 */
export async function buildBundle(into: string): Promise<string> {
  const outdir = path.join(into, 'build');
  await promisify(execFile)('node', ['esbuild.config.mjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PERF_GATE_BUNDLE_DIR: outdir },
  });
  return outdir;
}

/** Every file of a bundle folder, relative to it, sorted (empty when the folder does not exist). */
export async function listBundleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

export interface Runner {
  root: string;
  /** `<root>/action/dist/index.js`: what `runs.main` points at. */
  entry: string;
  /** GITHUB_WORKSPACE: the user's checkout. */
  workspace: string;
}

/** A runner folder with the action's dist and a user's workspace. */
export async function createRunner(bundleDir: string): Promise<Runner> {
  const root = await mkdtemp(path.join(tmpdir(), 'perf-gate-runner-'));
  for (let dir = root; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) throw new Error(`${dir} has a node_modules: the test would not prove the bundle stands alone`);
    if (path.dirname(dir) === dir) break;
  }
  await cp(bundleDir, path.join(root, 'action', 'dist'), { recursive: true });
  await copyFile(path.join(REPO_ROOT, 'action.yml'), path.join(root, 'action', 'action.yml'));
  const workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  const userPackage = { name: 'user-app', private: true, dependencies: { '@mikro-orm/core': '5.9.0', '@mikro-orm/postgresql': '5.9.0' } };
  await writeFile(path.join(workspace, 'package.json'), `${JSON.stringify(userPackage, null, 2)}\n`);
  await copyFile(path.join(REPO_ROOT, 'thresholds.json'), path.join(workspace, 'thresholds.json'));
  return { root, entry: path.join(root, 'action', 'dist', 'index.js'), workspace };
}

/** Removes a temp folder made by this module. */
export async function removeFolder(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A fresh temp folder. */
export function makeTempFolder(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}
