/**
 * `perf-gate run --against` through the real CLI entry (`tsx src/cli.ts`, what `npm run perf-gate`
 * runs) in a git repository of its own: a copy of this tree whose `main` commit carries its built
 * `dist/` (the base arm), checked out on a branch whose working tree is the head. A/A on the test
 * server, on a small selection at a small size: the exit code follows the verdict, and the markdown
 * and JSON reports are the duet's.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonDocument } from '../../src/report/comparison-schema.js';
import { makeTempFolder, removeFolder } from '../action/support/action-bundle.js';
import { runProcess, type ProcessResult } from '../support/child-process.js';
import { makeChildTmp, removeChildTmp } from '../support/child-tmp.js';
import { serverUrl } from '../support/database.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');
const SMALL_DUET = ['run', '--against', 'main', '--scenarios', 'bench.crud.get_by_id,pooling.monitoring', '--users', '300', '--scale', '0.2', '--rounds', '6'];

let repo: string;
let tmp: string;

function git(...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env }).trim();
}

beforeAll(async () => {
  repo = await makeTempFolder('perf-gate-against-test-');
  tmp = await makeChildTmp();
  for (const entry of ['src', 'migrations', 'esbuild.config.mjs', 'package.json', 'tsconfig.json', 'thresholds.json']) {
    await cp(path.join(REPO_ROOT, entry), path.join(repo, entry), { recursive: true });
  }
  await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(repo, 'node_modules'));
  await writeFile(path.join(repo, '.gitignore'), 'node_modules\n.perf-gate/\n');
  // Only warnings: an A/A verdict at this size must not depend on chance, only on what the run did.
  await writeFile(path.join(repo, 'warn-only.json'), JSON.stringify({ defaults: { severity: 'warn' } }));
  await writeFile(path.join(repo, 'impossible.json'), JSON.stringify({ scenarios: { 'bench.crud.get_by_id': { avg_ms: { max: 0.0001 } } } }));
  execFileSync(process.execPath, ['esbuild.config.mjs'], { cwd: repo });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base with its dist/');
  git('checkout', '-q', '-b', 'feature');
}, 120_000);

afterAll(async () => {
  await removeFolder(repo);
  await removeChildTmp(tmp);
});

function perfGate(args: readonly string[]): Promise<ProcessResult> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: tmp, DATABASE_URL: serverUrl() };
  return runProcess(process.execPath, [TSX, 'src/cli.ts', ...args], { cwd: repo, env });
}

function explain(result: ProcessResult): string {
  return `code ${result.code}, signal ${result.signal}\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`;
}

function reportFlags(name: string): string[] {
  return ['--output', path.join(repo, name, 'results.json'), '--markdown', path.join(repo, name, 'comment.md'), '--json', path.join(repo, name, 'comparison.json')];
}

describe('perf-gate run --against', () => {
  it('exits 0 on a passing duet verdict and writes the duet report', async () => {
    const result = await perfGate([...SMALL_DUET, '--thresholds', 'warn-only.json', ...reportFlags('pass')]);
    expect(result.code, explain(result)).toBe(0);
    const base = git('rev-parse', 'main').slice(0, 7);
    const markdown = await readFile(path.join(repo, 'pass', 'comment.md'), 'utf8');
    const [, headline, duetLine] = markdown.split('\n');
    expect(headline).toMatch(/^✅ \*\*perf-gate: pass\*\*: 0 regressions, 0 breaches/);
    expect(duetLine).toMatch(new RegExp(`^Head \`${base}\` vs base \`${base}\`, same runner, 6 rounds each`));
    expect(markdown).toContain('| Scenario | Metric | Base | Head | Change (interval) | Verdict |');
    expect(result.stdout).toContain('perf-gate: pass');
    expect(result.stdout).toMatch(/time: preparation \(not in the run\): head .*; pooling .*, bench .* \(both arms\); run /);
    const comparison = JSON.parse(await readFile(path.join(repo, 'pass', 'comparison.json'), 'utf8')) as ComparisonDocument;
    expect(comparison.mode).toBe('duet');
    expect(comparison.duet?.scenarios.map((s) => [s.scenarioId, s.status])).toEqual([
      ['pooling.monitoring', 'paired'],
      ['bench.crud.get_by_id', 'paired'],
    ]);
    const getById = comparison.verdicts.find((v) => v.scenarioId === 'bench.crud.get_by_id' && v.metric === 'avg_ms');
    expect(getById && 'paired' in getById && getById.paired?.pairs).toBeGreaterThanOrEqual(6);
  }, 240_000);

  it("exits 1 when the head breaches an absolute limit, and says so first", async () => {
    const result = await perfGate([...SMALL_DUET, '--thresholds', 'impossible.json', ...reportFlags('fail')]);
    expect(result.code, explain(result)).toBe(1);
    const markdown = await readFile(path.join(repo, 'fail', 'comment.md'), 'utf8');
    expect(markdown.split('\n')[1]).toMatch(/^❌ \*\*perf-gate: fail\*\*: 0 regressions, 1 breach/);
    expect(markdown).toMatch(/\| bench\.crud\.get\\_by\\_id \| avg\\_ms \| [\d.]+ ms \| [\d.]+ ms \| [^|]+ \| limit &lt; 0\.0001 ms; head vs base: /);
    expect(result.stdout).toMatch(/breached \(fail\)\s+bench\.crud\.get_by_id\s+avg_ms/);
  }, 240_000);
});
