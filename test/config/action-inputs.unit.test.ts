import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidBranchName, readInputs, splitList, type GateInputs } from '../../src/config/action-inputs.js';

const DATABASE_URL = 'postgres://gate:secret@localhost:5432/perf';
const ENV = { GITHUB_WORKSPACE: '/work/repo' };

function read(inputs: Record<string, string>) {
  return readInputs((name) => inputs[name] ?? '', ENV);
}

function readGate(inputs: Record<string, string>): GateInputs {
  const result = read({ 'database-url': DATABASE_URL, ...inputs });
  if (result.mode !== 'gate') throw new Error('expected gate inputs');
  return result;
}

describe('readInputs', () => {
  it('applies the documented defaults and freezes the result', () => {
    const inputs = readGate({});
    expect(inputs).toMatchObject({
      mode: 'gate',
      databaseUrl: DATABASE_URL,
      githubToken: undefined,
      thresholdsPath: 'thresholds.json',
      categories: ['pooling', 'retry', 'sessions', 'bench'],
      scenarios: [],
      baselineBranch: 'perf-baselines',
      history: 10,
      retention: 100,
      comment: 'always',
      commentKey: 'perf-gate',
      failOn: 'regression',
      updateBaseline: 'auto',
      confirmRerun: true,
      compare: 'duet',
      duetRounds: 32,
      resultsPath: path.resolve('/work/repo', 'perf-gate/results.json'),
      comparisonPath: path.resolve('/work/repo', 'perf-gate/comparison.json'),
    });
    expect(Object.isFrozen(inputs)).toBe(true);
  });

  it('reads every input that is given', () => {
    const inputs = readGate({
      'github-token': 'ghs_x',
      thresholds: './config/thresholds.json',
      categories: 'bench, retry',
      scenarios: 'bench.crud.create\nretry.timeout',
      'baseline-branch': 'perf/baselines',
      history: '20',
      retention: '30',
      comment: 'on-regression',
      'comment-key': 'linux-pg16',
      'fail-on': 'breach',
      'update-baseline': 'false',
      'confirm-rerun': 'FALSE',
      compare: 'history',
      'duet-rounds': '8',
      'results-path': 'out/run.json',
    });
    expect(inputs).toMatchObject({
      githubToken: 'ghs_x',
      thresholdsPath: 'config/thresholds.json',
      categories: ['bench', 'retry'],
      scenarios: ['bench.crud.create', 'retry.timeout'],
      baselineBranch: 'perf/baselines',
      history: 20,
      retention: 30,
      comment: 'on-regression',
      commentKey: 'linux-pg16',
      failOn: 'breach',
      updateBaseline: false,
      confirmRerun: false,
      compare: 'history',
      duetRounds: 8,
      resultsPath: path.resolve('/work/repo', 'out/run.json'),
      comparisonPath: path.resolve('/work/repo', 'out/comparison.json'),
    });
    expect(readGate({ 'update-baseline': 'true' }).updateBaseline).toBe(true);
  });

  it.each([
    [{ history: '0' }, "'history' must be a whole number from 1 to 100, got '0'"],
    [{ history: '2.5' }, "'history' must be a whole number from 1 to 100, got '2.5'"],
    [{ history: '101' }, "'history' must be a whole number from 1 to 100, got '101'"],
    [{ history: '20', retention: '5' }, "'retention' must be at least 'history' (20), got '5'"],
    [{ comment: 'sometimes' }, "'comment' must be one of always | on-regression | never, got 'sometimes'"],
    [{ 'fail-on': 'warning' }, "'fail-on' must be one of regression | breach | never, got 'warning'"],
    [{ 'update-baseline': 'yes' }, "'update-baseline' must be one of auto | true | false, got 'yes'"],
    [{ 'confirm-rerun': 'on' }, "'confirm-rerun' must be true or false, got 'on'"],
    [{ compare: 'baseline' }, "'compare' must be one of duet | history, got 'baseline'"],
    [{ 'duet-rounds': '0' }, "'duet-rounds' must be a whole number from 1 to 64, got '0'"],
    [{ 'duet-rounds': '65' }, "'duet-rounds' must be a whole number from 1 to 64, got '65'"],
    [{ mode: 'report' }, "'mode' must be one of gate | comment, got 'report'"],
    [{ categories: 'bench,memory' }, "'categories' must be one of pooling, retry, sessions, bench, got 'memory'"],
    [{ 'baseline-branch': 'perf..baselines' }, "'baseline-branch' must be a valid git branch name (e.g. perf-baselines), got 'perf..baselines'"],
    [{ thresholds: '../secrets.json' }, "'thresholds' must be a file path relative to the repository root, got '../secrets.json'"],
    [{ 'comment-key': 'a b' }, "'comment-key' must be up to 64 letters, digits, . _ or -, got 'a b'"],
  ])('rejects %o', (inputs, message) => {
    expect(() => readGate(inputs)).toThrow(message);
  });

  it('names an unknown scenario and suggests ids of its category', () => {
    expect(() => readGate({ scenarios: 'bench.crud.craete' })).toThrow(
      /^'scenarios' must be a known scenario id \(e\.g\. bench\.crud\.create, .*\), got 'bench\.crud\.craete'$/,
    );
  });

  it('rejects a scenario outside the selected categories', () => {
    expect(() => readGate({ categories: 'retry', scenarios: 'bench.crud.create' })).toThrow(
      "'scenarios' must be in one of the selected categories (retry), got 'bench.crud.create'",
    );
  });

  it('requires a postgres URL and never echoes its password', () => {
    expect(() => read({})).toThrow("'database-url' must be a postgres:// or postgresql:// URL, got ''");
    const wrongScheme = () => read({ 'database-url': 'mysql://gate:secret@db/perf' });
    expect(wrongScheme).toThrow("'database-url' must be a postgres:// or postgresql:// URL with a host, got 'mysql://gate:***@db/perf'");
    expect(() => read({ 'database-url': 'secret' })).toThrow(/got '<not a URL, 6 characters>'$/);
  });

  it('in comment mode needs a token but no database', () => {
    const inputs = read({ mode: 'comment', 'github-token': 'ghs_x' });
    expect(inputs).toMatchObject({ mode: 'comment', githubToken: 'ghs_x' });
    expect(() => read({ mode: 'comment' })).toThrow("'github-token' must be a token when 'mode' is 'comment', got ''");
  });
});

describe('readInputs: results-path stays inside the workspace', () => {
  const outside = "'results-path' must be a file path inside the workspace '/work/repo' (GITHUB_WORKSPACE)";

  it.each(['../x.json', 'perf-gate/../../x.json', '/tmp/x.json', '/work/repository/x.json', '.', '/work/repo'])('rejects %s', (value) => {
    expect(() => readGate({ 'results-path': value })).toThrow(`${outside}, got '${value}'`);
  });

  it('accepts an absolute path inside the workspace', () => {
    expect(readGate({ 'results-path': '/work/repo/out/r.json' }).resultsPath).toBe('/work/repo/out/r.json');
  });

  it('rejects a path through a symlink that leads out of the workspace, and names where it leads', async () => {
    const root = await realpath(await mkdtemp(path.join(tmpdir(), 'perf-gate-inputs-')));
    try {
      const workspace = path.join(root, 'workspace');
      await mkdir(path.join(workspace, 'inside'), { recursive: true });
      await mkdir(path.join(root, 'elsewhere'));
      await symlink(path.join(root, 'elsewhere'), path.join(workspace, 'out'));
      await symlink(path.join(workspace, 'inside'), path.join(workspace, 'in'));
      const readAt = (value: string) => readInputs((name) => ({ 'database-url': DATABASE_URL, 'results-path': value })[name] ?? '', { GITHUB_WORKSPACE: workspace });
      expect(() => readAt('out/new/results.json')).toThrow(
        `'results-path' must be a file path inside the workspace '${workspace}' (GITHUB_WORKSPACE); 'out' is a symlink to '${path.join(root, 'elsewhere')}', got 'out/new/results.json'`,
      );
      expect(readAt('in/results.json').resultsPath).toBe(path.join(workspace, 'in/results.json'));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('splitList', () => {
  it('splits on commas and newlines, trims, drops blanks and duplicates', () => {
    expect(splitList(' a, b\n\nc ,a,')).toEqual(['a', 'b', 'c']);
  });
});

describe('isValidBranchName', () => {
  it.each(['perf-baselines', 'perf/baselines', 'v1.2'])('accepts %s', (name) => expect(isValidBranchName(name)).toBe(true));
  it.each(['', '-x', 'a..b', 'a b', 'a~1', 'a^', 'a:b', '/a', 'a/', 'a//b', '.a', 'a/.b', 'a.lock', 'a.', '@', 'a@{1}', 'refs/heads/x'])(
    'rejects %j',
    (name) => expect(isValidBranchName(name)).toBe(false),
  );
});
