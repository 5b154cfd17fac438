/**
 * The bundled action's duet on a pull request: the workspace is a git checkout whose `origin` holds
 * the base commit with a committed dist/ (the same fresh bundle the runner runs, so the duet is A/A),
 * and the action fetches that commit itself, one deep, as a shallow actions/checkout would need. When
 * the base commit cannot be fetched, or its worker does not start, the run is judged against the history and the comment says why
 * right under its headline.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonDocument } from '../../src/report/comparison-schema.js';
import { serverUrl } from '../support/database.js';
import { buildBundle, createRunner, makeTempFolder, removeFolder, type Runner } from './support/action-bundle.js';
import { pullRequestEvent } from './support/events.js';
import { createGateRole, findLeaks, gateInputs, KEY_SCENARIO, SMALL_ENV, startGitHubStage, type GitHubStage } from './support/gate-fixture.js';
import { runAction, type ActionResult } from './support/run-action.js';

const HEAD_SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const MERGE_SHA = '0123456789abcdef0123456789abcdef01234567';
/** Only warnings: an A/A verdict at this size must not depend on chance, only on what the run did. */
const WARN_ONLY = JSON.stringify({ defaults: { severity: 'warn' } });
const DUET_INPUTS = { compare: 'duet', scenarios: KEY_SCENARIO, 'duet-rounds': '6' };

let temp: string;
let bundleDir: string;
let origin: string;
let baseSha: string;
/** A base commit whose committed worker exits at once. */
let brokenSha: string;
let role: Awaited<ReturnType<typeof createGateRole>>;
let runner: Runner;
let stage: GitHubStage;

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };
  return execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim();
}

beforeAll(async () => {
  temp = await makeTempFolder('perf-gate-action-duet-test-');
  [bundleDir, role] = await Promise.all([buildBundle(temp), createGateRole(serverUrl())]);
  // The base branch's repository: one commit carrying the bundle as its dist/, and a later one, so
  // the base is not the tip.
  origin = path.join(temp, 'origin');
  await mkdir(origin);
  await cp(bundleDir, path.join(origin, 'dist'), { recursive: true });
  git(origin, 'init', '-q', '-b', 'main');
  git(origin, 'add', '-A');
  git(origin, 'commit', '-q', '-m', 'base with its dist/');
  baseSha = git(origin, 'rev-parse', 'HEAD');
  await writeFile(path.join(origin, 'dist', 'worker.js'), 'process.exit(3);\n');
  git(origin, 'commit', '-q', '-am', 'a worker that does not start');
  brokenSha = git(origin, 'rev-parse', 'HEAD');
}, 120_000);

afterAll(async () => {
  await role?.drop();
  await removeFolder(temp);
});

/** A runner whose workspace is a git checkout with `origin`, without the base commit; a fake GitHub. */
async function setUp(thresholds = WARN_ONLY): Promise<void> {
  runner = await createRunner(bundleDir);
  // The fake GitHub has no commit at the real base sha, so the workspace's thresholds.json is used.
  await writeFile(path.join(runner.workspace, 'thresholds.json'), thresholds);
  git(runner.workspace, 'init', '-q', '-b', 'feature');
  git(runner.workspace, 'remote', 'add', 'origin', `file://${origin}`);
  stage = await startGitHubStage(thresholds);
}

afterEach(async () => {
  await stage?.close();
  await removeFolder(runner?.root);
});

function prRun(base: string): Promise<ActionResult> {
  return runAction(runner, {
    inputs: gateInputs(role.url, DUET_INPUTS),
    event: pullRequestEvent({ number: 7, headSha: HEAD_SHA, baseSha: base }),
    sha: MERGE_SHA,
    ref: 'refs/pull/7/merge',
    apiUrl: stage.proxy.url,
    env: SMALL_ENV,
  });
}

function explain(result: ActionResult): string {
  const lines = result.stdout.split('\n').filter((line) => /^::(error|warning)::|perf-gate: (pass|fail)|arms prepared|duet/.test(line));
  return `${lines.join('\n')}\n${result.stderr.slice(-2000)}`;
}

describe('the action on a pull request with compare: duet', () => {
  it('fetches the base commit, runs its committed dist/ against its own bundle and comments head vs base', async () => {
    await setUp();
    const result = await prRun(baseSha);
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`arms prepared: head bundle from .*; base ${baseSha.slice(0, 12)} extracted from git`));
    const body = stage.fake.repo().comments.find((comment) => comment.issueNumber === 7)?.body ?? '';
    const [, headline, duetLine] = body.split('\n');
    expect(headline).toMatch(/^✅ \*\*perf-gate: pass\*\*/);
    expect(duetLine).toMatch(new RegExp(`^Head \`${MERGE_SHA.slice(0, 7)}\` vs base \`${baseSha.slice(0, 7)}\`, same runner, 6 rounds each`));
    expect(body).not.toContain('Judged against the baseline history');
    expect(result.outputs).toMatchObject({ verdict: 'pass', regressions: '0', breaches: '0' });
    const comparison = JSON.parse(await readFile(result.outputs['comparison-path'] ?? '', 'utf8')) as ComparisonDocument;
    expect(comparison.mode).toBe('duet');
    expect(comparison.duet?.baseSha).toBe(baseSha);
    expect(comparison.duet?.scenarios.map((s) => [s.scenarioId, s.status])).toEqual([[KEY_SCENARIO, 'paired']]);
    const context = JSON.parse(await readFile(path.join(runner.workspace, 'perf-gate', 'context.json'), 'utf8')) as { headlineNotes?: string[] };
    expect(context.headlineNotes).toEqual([]);
    expect(findLeaks(result, [body])).toEqual([]);
  }, 120_000);

  it('fails the step on a duet verdict as on a history one: a breach of the head is named in the outputs and the comment', async () => {
    await setUp(JSON.stringify({ scenarios: { [KEY_SCENARIO]: { avg_ms: { max: 0.001 } } } }));
    const result = await prRun(baseSha);
    expect(result.code, explain(result)).toBe(1);
    expect(result.outputs).toMatchObject({ verdict: 'breached', breaches: '1' });
    expect(result.stdout).toMatch(/::error::perf-gate failed the step \(fail-on: regression\): 1 breach\(es\) of an absolute limit/);
    const body = stage.fake.repo().comments.find((comment) => comment.issueNumber === 7)?.body ?? '';
    const [, headline, duetLine] = body.split('\n');
    // Only the breach is certain; an A/A relative finding at this size would be chance.
    expect(headline).toMatch(/^❌ \*\*perf-gate: fail\*\*: \d+ regressions?, 1 breach/);
    expect(duetLine).toMatch(/^Head `0123456` vs base `[0-9a-f]{7}`, same runner, 6 rounds each/);
    expect(body).toContain(`npm ci && npm run perf-gate -- run --against ${baseSha} --scenarios ${KEY_SCENARIO}`);
  }, 120_000);

  it('falls back to the history verdict when the base commit cannot be fetched, and says why under the headline', async () => {
    await setUp();
    const missing = 'f'.repeat(40);
    const result = await prRun(missing);
    expect(result.code, explain(result)).toBe(0);
    expect(result.stdout).toMatch(/::warning::duet unavailable, judging against the baseline history instead: could not fetch the base commit ffffffffffff from origin/);
    const body = stage.fake.repo().comments.find((comment) => comment.issueNumber === 7)?.body ?? '';
    const [, headline, note, after] = body.split('\n');
    expect(headline).toMatch(/^✅ \*\*perf-gate: pass\*\*/);
    expect(note).toMatch(/^> ℹ️ Judged against the baseline history, not head against base: could not fetch the base commit ffffffffffff from origin \(.+\)\.$/);
    expect(after).toBe('');
    expect(body).not.toMatch(/^Head `/m);
    const comparison = JSON.parse(await readFile(result.outputs['comparison-path'] ?? '', 'utf8')) as ComparisonDocument;
    expect(comparison.mode).toBe('history');
    expect(result.outputs.verdict).toBe('pass');
  }, 120_000);

  it("falls back to the history verdict when the base commit's worker does not start", async () => {
    await setUp();
    const result = await prRun(brokenSha);
    expect(result.code, explain(result)).toBe(0);
    const body = stage.fake.repo().comments.find((comment) => comment.issueNumber === 7)?.body ?? '';
    const note = body.split('\n')[2] ?? '';
    expect(note).toMatch(/^> ℹ️ Judged against the baseline history, not head against base: the base worker could not be launched: .*exited with code 3\.$/);
    const comparison = JSON.parse(await readFile(result.outputs['comparison-path'] ?? '', 'utf8')) as ComparisonDocument;
    expect(comparison.mode).toBe('history');
    expect(comparison.verdicts.some((v) => v.scenarioId === KEY_SCENARIO)).toBe(true);
  }, 120_000);
});
