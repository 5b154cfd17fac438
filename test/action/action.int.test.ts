/**
 * The bundled action end to end: `node dist/index.js` as the runner starts it, in a folder with no
 * node_modules, against the test PostgreSQL and a fake GitHub.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_TOKENS } from '../support/fake-github.js';
import { serverUrl } from '../support/database.js';
import { escapeMarkdown } from '../../src/report/escape.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { buildBundle, createRunner, listBundleFiles, makeTempFolder, REPO_ROOT, removeFolder, type Runner } from './support/action-bundle.js';
import { pullRequestEvent, pushEvent, workflowRunEvent } from './support/events.js';
import {
  closedPort,
  createGateRole,
  DB_PASSWORD,
  findLeaks,
  gateInputs,
  KEY_SCENARIO,
  SMALL_ENV,
  startGitHubStage,
  type GitHubStage,
} from './support/gate-fixture.js';
import { runAction, type ActionResult } from './support/run-action.js';
import { writeReportFiles } from '../../src/publish/report-files.js';
import type { RunContextDocument } from '../../src/publish/run-context-file.js';
import { makeFullGateComparison, makeFullGateRuns } from '../support/full-gate-fixtures.js';
import { seedSlowerBaselines } from './support/baselines.js';

const HEAD_SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const CREATE_COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const MERGE_SHA = '0123456789abcdef0123456789abcdef01234567';

let temp: string;
let bundleDir: string;
let role: Awaited<ReturnType<typeof createGateRole>>;
let runner: Runner;
let stage: GitHubStage;
/** What the current test set up, undone after it. */
let cleanups: Array<() => Promise<void>> = [];
let thresholdsText: string;

beforeAll(async () => {
  temp = await makeTempFolder('perf-gate-action-test-');
  [bundleDir, role] = await Promise.all([buildBundle(temp), createGateRole(serverUrl())]);
  thresholdsText = await readFile(path.join(import.meta.dirname, '../../thresholds.json'), 'utf8');
}, 120_000);

afterAll(async () => {
  await role?.drop();
  await removeFolder(temp);
});

/** A runner and a fake GitHub; `thresholds` is the file on main and in the workspace. */
async function setUp(thresholds = thresholdsText): Promise<void> {
  runner = await createRunner(bundleDir);
  const root = runner.root;
  if (thresholds !== thresholdsText) await writeFile(path.join(runner.workspace, 'thresholds.json'), thresholds);
  stage = await startGitHubStage(thresholds);
  const opened = stage;
  cleanups = [() => opened.close(), () => removeFolder(root)];
}

afterEach(async () => {
  for (const cleanup of cleanups) await cleanup();
  cleanups = [];
});

/** The lines that say why a run ended as it did, for assertion messages. */
function explain(result: ActionResult): string {
  const lines = result.stdout.split('\n').filter((line) => /^::(error|warning)::|perf-gate: (pass|fail)/.test(line));
  return `${lines.join('\n')}\n${result.stderr.slice(-2000)}`;
}

function prRun(inputs: Record<string, string>, options: { fork?: boolean; env?: Record<string, string> } = {}): Promise<ActionResult> {
  return runAction(runner, {
    inputs,
    event: pullRequestEvent({ number: 7, headSha: HEAD_SHA, baseSha: stage.mainSha, fork: options.fork }),
    sha: MERGE_SHA,
    ref: 'refs/pull/7/merge',
    apiUrl: stage.proxy.url,
    env: { ...SMALL_ENV, ...options.env },
  });
}

function pushRun(inputs: Record<string, string>): Promise<ActionResult> {
  return runAction(runner, { inputs, event: pushEvent(stage.mainSha), sha: stage.mainSha, ref: 'refs/heads/main', apiUrl: stage.proxy.url, env: SMALL_ENV });
}

/** The fork workflow's second stage, on the files the gate run left in the workspace. */
function commentRun(headSha: string): Promise<ActionResult> {
  return runAction(runner, {
    inputs: { mode: 'comment', 'github-token': FAKE_TOKENS.actions },
    event: workflowRunEvent({ headSha }),
    sha: stage.mainSha,
    ref: 'refs/heads/main',
    apiUrl: stage.proxy.url,
  });
}

/** thresholds.json with an absolute limit no run can meet, on the key scenario. */
function impossibleThresholds(): string {
  const doc = JSON.parse(thresholdsText) as { scenarios: Record<string, unknown> };
  return JSON.stringify({ ...doc, scenarios: { ...doc.scenarios, [KEY_SCENARIO]: { avg_ms: { max: 0.001 } } } }, null, 2);
}

/** thresholds.json without the key scenario's absolute limits: only relative comparison judges it. */
function relativeOnlyThresholds(): string {
  const doc = JSON.parse(thresholdsText) as { scenarios: Record<string, unknown> };
  const { [KEY_SCENARIO]: _limits, ...scenarios } = doc.scenarios;
  return JSON.stringify({ ...doc, scenarios }, null, 2);
}

function commentsOf(prNumber: number) {
  return stage.fake.repo().comments.filter((comment) => comment.issueNumber === prNumber);
}

function storedRuns(): string[] {
  return [...(stage.fake.repo().git.readTreeAt('perf-baselines')?.keys() ?? [])].filter((name) => name.startsWith('runs/'));
}

describe('the action on a pull request', () => {
  it('creates one comment on the first run and updates it on the second, with the thresholds change', async () => {
    await setUp();
    const first = await prRun(gateInputs(role.url));
    expect(first.code, explain(first)).toBe(0);
    expect(commentsOf(7)).toHaveLength(1);
    expect(first.outputs).toMatchObject({ verdict: 'pass', regressions: '0', breaches: '0', 'comment-url': expect.stringContaining('#issuecomment-') });
    expect(first.summary).toContain('perf-gate: pass');
    const results = JSON.parse(await readFile(first.outputs['results-path'] ?? '', 'utf8')) as ResultsDocument;
    expect(results.scenarios.map((s) => `${s.id} ${s.status}`)).toEqual(['pooling.monitoring passed', 'bench.crud.get_by_id passed']);
    const calls = stage.proxy.requests.map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    console.info(`API calls of one PR run (${calls.length}):\n${calls.join('\n')}`);

    const loosened = JSON.parse(thresholdsText) as { history: number };
    await writeFile(path.join(runner.workspace, 'thresholds.json'), JSON.stringify({ ...loosened, history: 3 }, null, 2));
    const second = await prRun(gateInputs(role.url));
    expect(second.code, explain(second)).toBe(0);
    const comments = commentsOf(7);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('thresholds.json changed in this pull request');
    expect(comments[0]?.body).toContain('$.history: 10 → 3');
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url']);
    const files = await Promise.all(['results.json', 'comparison.json', 'context.json'].map((name) => readFile(path.join(runner.workspace, 'perf-gate', name), 'utf8')));
    expect(findLeaks(first, [comments[0]?.body ?? '', ...files])).toEqual([]);
    expect(findLeaks(second)).toEqual([]);
    expect(storedRuns()).toEqual([]);
  });

  it('stores a baseline on a push to main, and a pull request then compares against it', async () => {
    await setUp();
    const push = await pushRun(gateInputs(role.url));
    expect(push.code, explain(push)).toBe(0);
    expect(storedRuns()).toHaveLength(1);
    expect(push.stdout).toContain("stored as a baseline of 'main'");

    // One baseline run is too little history to tell noise apart: the verdict is not what this tests.
    const before = stage.proxy.requests.length;
    const pr = await prRun(gateInputs(role.url, { 'fail-on': 'breach' }));
    expect(pr.code, explain(pr)).toBe(0);
    const calls = stage.proxy.requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]} ${r.status}`);
    console.info(`API calls of a PR run with one stored baseline (${calls.length}):\n${calls.join('\n')}`);
    expect(pr.stdout).toContain("history: 1 run(s) of 'main'");
    const comparison = JSON.parse(await readFile(pr.outputs['comparison-path'] ?? '', 'utf8')) as {
      history: { runs: number; shas: string[] };
      verdicts: Array<{ scenarioId: string; metric: string; kind: string; relative?: { raw: { baseline: number } } | null }>;
    };
    expect(comparison.history).toMatchObject({ runs: 1, shas: [stage.mainSha] });
    const avg = comparison.verdicts.find((v) => v.scenarioId === KEY_SCENARIO && v.metric === 'avg_ms');
    expect(avg?.kind).not.toBe('new');
    const stored = JSON.parse(stage.fake.repo().git.blobs.get(stage.fake.repo().git.readTreeAt('perf-baselines')?.get(storedRuns()[0] ?? '')?.sha ?? '')?.toString() ?? '{}') as {
      scenarios: Array<{ id: string; metrics: Record<string, { value: number }> }>;
    };
    expect(avg?.relative?.raw.baseline).toBeCloseTo(stored.scenarios.find((s) => s.id === KEY_SCENARIO)?.metrics.avg_ms?.value ?? NaN, 9);
    expect(commentsOf(7)[0]?.body).toContain('| History | 1 runs');
    expect(storedRuns()).toHaveLength(1);
  });

  it('fails the step on a regression and names it in the comment', async () => {
    // This proves that a relative regression alone fails the step. So nothing else may judge the
    // run: the key scenario runs alone (its only check counts failed calls) and has no absolute
    // limit, which a busy machine could breach (the verdict would then be `breached`). The baselines
    // are 5 times faster than this code, in raw time and against the machine-speed reference.
    await setUp(relativeOnlyThresholds());
    const alone = { scenarios: KEY_SCENARIO };
    const push = await pushRun(gateInputs(role.url, { ...alone, 'update-baseline': 'false', 'results-path': 'main-run/results.json' }));
    expect(push.code, explain(push)).toBe(0);
    await seedSlowerBaselines(stage, path.join(runner.workspace, 'main-run/results.json'), KEY_SCENARIO, 5);
    const pr = await prRun(gateInputs(role.url, alone));
    expect(pr.code, explain(pr)).toBe(1);
    expect(pr.outputs).toMatchObject({ verdict: 'regressed', breaches: '0' });
    expect(Number(pr.outputs.regressions)).toBeGreaterThan(0);
    expect(pr.stdout).toMatch(/::error::perf-gate failed the step \(fail-on: regression\): .*regression/);
    const body = commentsOf(7)[0]?.body ?? '';
    expect(body).toContain('perf-gate: fail');
    const regressions = body.slice(body.indexOf('### Regressions and breaches'), body.indexOf('### Improvements'));
    expect(regressions).toContain(`| ${escapeMarkdown(KEY_SCENARIO)} | avg\\_ms |`);
    expect(findLeaks(pr, [body])).toEqual([]);
  });

  it("warns on a fork's read-only token, keeps the report in the summary, and lets the verdict decide", async () => {
    await setUp();
    // The base branch's thresholds judge the PR, not the fork's own (loose) copy in the workspace.
    stage.fake.repo().git.commitFiles('main', { 'thresholds.json': impossibleThresholds() }, 'tighten');
    stage = { ...stage, mainSha: stage.fake.repo().git.refs.get('refs/heads/main') ?? '' };
    const fork = await prRun(gateInputs(role.url, { 'github-token': FAKE_TOKENS.readOnly }), { fork: true });
    expect(fork.stdout).toMatch(/::warning::could not comment on pull request #7: the token may not write comments/);
    expect(commentsOf(7)).toHaveLength(0);
    expect(fork.summary).toContain('perf-gate: fail');
    expect(fork.summary).toContain(`| ${escapeMarkdown(KEY_SCENARIO)} | avg\\_ms |`);
    expect(fork.outputs.verdict).toBe('breached');
    expect(fork.code).toBe(1);
    expect(fork.stdout).toMatch(/::error::perf-gate failed the step \(fail-on: regression\): 1 breach/);
    expect(findLeaks(fork)).toEqual([]);

    // Stage two: a workflow_run job with a write token posts the uploaded report.
    stage.proxy.pulls.set(7, HEAD_SHA);
    const posted = await commentRun(HEAD_SHA);
    expect(posted.code, explain(posted)).toBe(0);
    expect(commentsOf(7)).toHaveLength(1);
    expect(commentsOf(7)[0]?.body).toContain('perf-gate: fail');
    expect(posted.outputs).toMatchObject({ verdict: 'breached', 'comment-url': expect.stringContaining('#issuecomment-') });
    expect(findLeaks(posted, [commentsOf(7)[0]?.body ?? ''])).toEqual([]);
  });

  it('keeps the verdict when GitHub refuses the comment: a warning, and fail-on alone decides the step', async () => {
    await setUp();
    stage.fake.repo().git.commitFiles('main', { 'thresholds.json': impossibleThresholds() }, 'tighten');
    stage = { ...stage, mainSha: stage.fake.repo().git.refs.get('refs/heads/main') ?? '' };
    const refused = { status: 422, body: { message: 'Validation Failed: body is too long (maximum is 65536 characters)' } };
    stage.fake.injectResponse(CREATE_COMMENT, refused, 2);

    const never = await prRun(gateInputs(role.url, { 'fail-on': 'never' }));
    expect(never.code, explain(never)).toBe(0);
    expect(never.outputs).toMatchObject({ verdict: 'breached', breaches: '1', 'comment-url': '' });
    expect(never.stdout).toMatch(/::warning::could not comment on pull request #7 \(HTTP 422: Validation Failed: body is too long/);
    expect(never.stdout).not.toContain('::error::');
    expect(never.summary).toContain('perf-gate: fail');

    const gate = await prRun(gateInputs(role.url));
    expect(gate.code).toBe(1);
    expect(gate.outputs.verdict).toBe('breached');
    expect(gate.stdout).toMatch(/::warning::could not comment on pull request #7 \(HTTP 422/);
    expect(gate.stdout.match(/^::error::.*$/gm)).toEqual([expect.stringMatching(/^::error::perf-gate failed the step \(fail-on: regression\): 1 breach/)]);
    expect(commentsOf(7)).toHaveLength(0);
    expect(findLeaks(never)).toEqual([]);
  });

  it("posts the full gate's report (51 scenarios, every metric, 10-run history) within GitHub's limit", async () => {
    // Running all 51 scenarios here would take a minute or more; the comment path is the same for
    // a gate run and the fork workflow's second stage (renderReportBodies, publishComment), so the
    // bundled action's second stage posts the files a full-gate run leaves, made from a recorded one.
    await setUp();
    const comparison = makeFullGateComparison(10);
    const { current } = makeFullGateRuns(10);
    const context: RunContextDocument = { schemaVersion: 1, repository: 'acme/shop', event: 'pull_request', prNumber: 7, headSha: HEAD_SHA, thresholdsChange: [], notes: [] };
    const folder = path.join(runner.workspace, 'perf-gate');
    await writeReportFiles(
      { workspace: runner.workspace, resultsPath: path.join(folder, 'results.json'), comparisonPath: path.join(folder, 'comparison.json') },
      { results: current, comparison, context },
    );
    stage.proxy.pulls.set(7, HEAD_SHA);

    const posted = await commentRun(HEAD_SHA);
    expect(posted.code, explain(posted)).toBe(0);
    expect(posted.outputs).toMatchObject({ verdict: 'errored', 'comment-url': expect.stringContaining('#issuecomment-') });
    const body = commentsOf(7)[0]?.body ?? '';
    console.info(`full gate comment posted by the bundle: ${body.length} characters, ${Buffer.byteLength(body)} UTF-8 bytes`);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_536);
    expect(body.startsWith('<!-- perf-gate:perf-gate -->\n❌ **perf-gate: fail**')).toBe(true);
    expect(body).toContain('### Scenarios (51)');
    expect(posted.summary).toContain('<details><summary>All other metrics (');
    expect(posted.summary.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Scenario |') && !line.startsWith('| --- |')).length).toBeGreaterThan(1284);
  });

  it('refuses, in comment mode, an upload whose head sha or pull request does not match the workflow_run', async () => {
    await setUp();
    const fork = await prRun(gateInputs(role.url, { 'github-token': FAKE_TOKENS.readOnly }), { fork: true });
    expect(fork.code, explain(fork)).toBe(0);
    const other = 'f'.repeat(40);
    const wrongHead = await commentRun(other);
    expect(wrongHead.code).toBe(1);
    expect(wrongHead.stdout).toContain(`::error::perf-gate: the uploaded context.json names the head sha '${HEAD_SHA}', expected the workflow_run's '${other}'`);
    stage.proxy.pulls.set(7, other);
    const wrongPull = await commentRun(HEAD_SHA);
    expect(wrongPull.code).toBe(1);
    expect(wrongPull.stdout).toContain("pull request #7's head is ffffffffffff, not the workflow_run's abcdef012345: refusing to comment");
    const contextFile = path.join(runner.workspace, 'perf-gate', 'context.json');
    await writeFile(contextFile, (await readFile(contextFile, 'utf8')).replace('"prNumber": 7', '"prNumber": "7"'));
    const tampered = await commentRun(HEAD_SHA);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/::error::perf-gate: .*context\.json.*\$\.prNumber/);
    expect(commentsOf(7)).toHaveLength(0);
  });
});

describe('the action when it cannot run', () => {
  it('fails on bad inputs before touching the database', async () => {
    await setUp();
    const port = await closedPort();
    const url = `postgres://gate:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${port}/db`;
    const history = await prRun(gateInputs(url, { history: '0' }));
    expect(history.code).toBe(1);
    expect(history.stdout).toContain("::error::perf-gate: bad input: 'history' must be a whole number from 1 to 100, got '0'");
    expect(history.outputs.verdict).toBe('errored');
    const users = await prRun(gateInputs(url), { env: { PERF_GATE_USERS: 'lots' } });
    expect(users.code).toBe(1);
    expect(users.stdout).toContain("::error::perf-gate: bad setting: PERF_GATE_USERS must be a whole number from 100 to 10000000, got 'lots'");
    // The data layer's variables are read with the inputs too: the closed port is never tried.
    const pool = await prRun(gateInputs(url), { env: { DATABASE_POOL_SIZE: '0' } });
    expect(pool.code).toBe(1);
    expect(pool.stdout).toContain("::error::perf-gate: bad setting: DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got '0'");
    const outside = await prRun(gateInputs(url, { 'results-path': '../outside/results.json' }));
    expect(outside.code).toBe(1);
    expect(outside.stdout).toContain(
      `::error::perf-gate: bad input: 'results-path' must be a file path inside the workspace '${runner.workspace}' (GITHUB_WORKSPACE), got '../outside/results.json'`,
    );
    const target = pullRequestEvent({ number: 7, headSha: HEAD_SHA, baseSha: stage.mainSha });
    const prTarget = await runAction(runner, {
      inputs: gateInputs(url),
      event: { ...target, name: 'pull_request_target' },
      sha: stage.mainSha,
      ref: 'refs/heads/main',
      apiUrl: stage.proxy.url,
      env: SMALL_ENV,
    });
    expect(prTarget.code).toBe(1);
    expect(prTarget.stdout).toContain("::error::perf-gate: 'mode: gate' refuses the pull_request_target event");
    expect(prTarget.outputs.verdict).toBe('errored');
    expect(stage.proxy.requests).toHaveLength(0);
    expect(findLeaks(history)).toEqual([]);
    expect(findLeaks(users)).toEqual([]);
  });

  it('fails fast with a clear message when the database is down, and writes no baseline', async () => {
    await setUp();
    const port = await closedPort();
    const url = `postgres://gate:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:${port}/db`;
    const push = await pushRun(gateInputs(url));
    expect(push.code).toBe(1);
    expect(push.stdout).toContain(`::error::perf-gate: the database of 'database-url' is not reachable`);
    expect(push.stdout).toContain(`127.0.0.1:${port}`);
    expect(push.outputs.verdict).toBe('errored');
    expect(push.ms).toBeLessThan(15_000);
    expect(stage.fake.repo().git.refs.has('refs/heads/perf-baselines')).toBe(false);
    expect(findLeaks(push)).toEqual([]);
  });
});

describe('the bundle', () => {
  it('equals the committed dist/ file by file (run `npm run bundle` and commit dist/ when this fails)', async () => {
    const [fresh, committed] = await Promise.all([listBundleFiles(bundleDir), listBundleFiles(path.join(REPO_ROOT, 'dist'))]);
    expect(committed, 'files of dist/ (index.js, worker.js, chunks/)').toEqual(fresh);
    for (const file of fresh) {
      const [built, stored] = await Promise.all([readFile(path.join(bundleDir, file)), readFile(path.join(REPO_ROOT, 'dist', file))]);
      expect(stored.length, `dist/${file} size`).toBe(built.length);
      expect(stored.equals(built), `dist/${file} content`).toBe(true);
    }
  });
});
