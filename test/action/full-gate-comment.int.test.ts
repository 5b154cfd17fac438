/**
 * The comment of the default configuration: all 51 scenarios with every metric they record, judged
 * against a 10-run history with failing rows, rendered and posted through the action's own path
 * (renderReportBodies -> publishComment -> upsertComment) to the fake GitHub, which refuses a body
 * over 65,536 (UTF-8 bytes, see its comment routes) as GitHub does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCommentMarker, MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { publishComment } from '../../src/publish/publish.js';
import { MAX_SUMMARY_BYTES, renderReportBodies } from '../../src/publish/report-bodies.js';
import { renderCheckRow, renderVerdictRow } from '../../src/report/markdown-rows.js';
import { ALL_SCENARIO_IDS } from '../../src/suites/catalog.js';
import type { Comparison } from '../../src/verdict/types.js';
import { createFakeClient } from '../support/fake-github-client.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { makeFullGateComparison, readFullGateRun } from '../support/full-gate-fixtures.js';
import { sectionRows } from '../support/markdown-sections.js';
import { createRecordingIo } from './support/recording-io.js';

const RUN_URL = 'https://github.com/acme/shop/actions/runs/4242';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  await fake.close();
});

async function postComment(comparison: Comparison): Promise<{ posted: string; summary: string; warnings: string[] }> {
  const { comment, summary } = renderReportBodies(comparison, { commentKey: 'perf-gate', thresholdsChange: [], runUrl: RUN_URL, redact: (text) => text });
  const io = createRecordingIo();
  const request = { octokit: createFakeClient(fake, FAKE_TOKENS.actions), repository: { owner: 'acme', repo: 'shop' }, commentKey: 'perf-gate' };
  const url = await publishComment({ ...request, decision: { kind: 'upsert', prNumber: 7 }, body: comment }, io);
  expect(url, io.warnings.join('\n')).toContain('#issuecomment-');
  const posted = fake.repo().comments.find((c) => c.issueNumber === 7)?.body ?? '';
  return { posted, summary, warnings: io.warnings };
}

describe('the comment of the full gate with a 10-run history', () => {
  it('is built from every scenario of the catalog with every metric it records', () => {
    const recorded = readFullGateRun();
    expect(recorded.map((s) => s.id)).toEqual(ALL_SCENARIO_IDS);
    expect(recorded.reduce((sum, s) => sum + Object.keys(s.metrics).length, 0)).toBe(1297);
    const comparison = makeFullGateComparison(10);
    expect(comparison.history.runs).toBe(10);
    expect(new Set(comparison.verdicts.map((v) => v.scenarioId)).size).toBe(51);
    expect(comparison.outcome).toMatchObject({ kind: 'fail', breaches: 1, errored: 1, failedChecks: 2 });
    expect(comparison.outcome.regressions).toBeGreaterThanOrEqual(3);
    expect(comparison.outcome.warnings).toBeGreaterThan(0);
  });

  it('posts within 65,536 with the marker counted, and keeps what a reader needs', async () => {
    const comparison = makeFullGateComparison(10);
    const { posted, summary, warnings } = await postComment(comparison);
    const bytes = Buffer.byteLength(posted, 'utf8');
    console.info(`full gate, 10-run history: comment ${posted.length} characters (${bytes} UTF-8 bytes); job summary ${Buffer.byteLength(summary, 'utf8')} bytes`);
    expect(warnings).toEqual([]);
    expect(bytes).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(posted.length).toBeLessThanOrEqual(65_536);
    expect(posted.startsWith(`${buildCommentMarker('perf-gate')}\n❌ **perf-gate: fail**: `)).toBe(true);
    expect(posted.match(/<!-- perf-gate/g)).toHaveLength(1);

    // Every failing row with its numbers, and every failed check.
    const failing = comparison.verdicts.filter((v) => v.kind === 'errored' || ((v.kind === 'regressed' || v.kind === 'breached') && v.severity === 'fail'));
    expect(failing.length).toBeGreaterThanOrEqual(5);
    const attention = sectionRows(posted, '### Regressions and breaches');
    for (const verdict of failing) expect(attention).toContain(renderVerdictRow(verdict));
    expect(sectionRows(posted, '### Failed checks')).toEqual(comparison.failedChecks.map(renderCheckRow));

    // One row per scenario, its deciding metric first: the average latency where it has one.
    const scenarios = sectionRows(posted, '### Scenarios (51)');
    expect(scenarios).toHaveLength(51);
    expect(scenarios.find((row) => row.startsWith('| bench.crud.get\\_by\\_id | avg\\_ms |'))).toMatch(/❌ avg\\_ms regressed/);
    expect(scenarios.find((row) => row.startsWith('| retry.timeout |'))).toContain('❌ errored');
    expect(scenarios.find((row) => row.startsWith('| pooling.normal\\_load | avg\\_ms |'))).toContain('avg\\_ms breached');

    // The per-metric detail is folded as far as it fits (here: every metric compared with the
    // baseline), and says where the rest is.
    expect(posted).toMatch(/<details><summary>All other metrics \(\d+ of \d+ shown: those compared with the baseline\)<\/summary>/);
    const compared = comparison.verdicts.filter((v) => 'relative' in v && v.relative !== null);
    expect(compared.length).toBeGreaterThan(250);
    for (const verdict of compared) expect(posted).toContain(renderVerdictRow(verdict));
    expect(posted).toContain(`more rows in the [job summary](${RUN_URL}) and \`comparison.json\`._`);
    expect(posted).toContain('### Trend');
    expect(posted).toContain('### Reproduce locally');

    // The job summary carries every metric of every scenario.
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    for (const verdict of comparison.verdicts) expect(summary).toContain(renderVerdictRow(verdict));
    expect(summary).not.toMatch(/more rows? in/);
  });
});
