/**
 * The comment of a duet of the full gate: all 51 scenarios, 16 rounds per arm, judged head against
 * base with failing rows, rendered and posted through the action's own path to the fake GitHub, which
 * refuses a body over 65,536 (UTF-8 bytes) as GitHub does. comparison.json carries every round of
 * both arms and matches its schema.
 */
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publishComment } from '../../src/publish/publish.js';
import { MAX_SUMMARY_BYTES, renderReportBodies } from '../../src/publish/report-bodies.js';
import { buildCommentMarker, MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { COMPARISON_SCHEMA, formatComparisonJson, toComparisonJson } from '../../src/report/comparison-schema.js';
import { renderCheckRow, renderVerdictRow } from '../../src/report/markdown-rows.js';
import { ALL_SCENARIO_IDS } from '../../src/suites/catalog.js';
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { createFakeClient } from '../support/fake-github-client.js';
import { DUET_ROUNDS, makeFullGateDuetComparison } from '../support/full-gate-duet.js';
import { sectionRows } from '../support/markdown-sections.js';
import { createRecordingIo } from './support/recording-io.js';

const RUN_URL = 'https://github.com/acme/shop/actions/runs/4343';

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub();
});

afterEach(async () => {
  await fake.close();
});

describe('the comment of a full-gate duet', () => {
  it('posts within 65,536 with the marker counted, leading with the duet and keeping what a reader needs', async () => {
    const comparison = makeFullGateDuetComparison();
    expect(comparison.mode).toBe('duet');
    expect(new Set(comparison.verdicts.map((v) => v.scenarioId))).toEqual(new Set(ALL_SCENARIO_IDS));
    expect(comparison.outcome).toMatchObject({ kind: 'fail', regressions: 3, breaches: 1, errored: 1, failedChecks: 2 });

    const { comment, summary } = renderReportBodies(comparison, { commentKey: 'perf-gate', thresholdsChange: [], runUrl: RUN_URL, redact: (text) => text });
    const io = createRecordingIo();
    const request = { octokit: createFakeClient(fake, FAKE_TOKENS.actions), repository: { owner: 'acme', repo: 'shop' }, commentKey: 'perf-gate' };
    const url = await publishComment({ ...request, decision: { kind: 'upsert', prNumber: 7 }, body: comment }, io);
    expect(url, io.warnings.join('\n')).toContain('#issuecomment-');
    const posted = fake.repo().comments.find((c) => c.issueNumber === 7)?.body ?? '';
    const bytes = Buffer.byteLength(posted, 'utf8');
    console.info(`full-gate duet: comment ${bytes} UTF-8 bytes; job summary ${Buffer.byteLength(summary, 'utf8')} bytes`);
    expect(bytes).toBeLessThanOrEqual(MAX_COMMENT_BYTES);

    // The verdict, then what was compared: head vs base, same runner, the rounds.
    const [marker, headline, duetLine] = posted.split('\n');
    expect(marker).toBe(buildCommentMarker('perf-gate'));
    expect(headline).toMatch(/^❌ \*\*perf-gate: fail\*\*: 3 regressions, 1 breach, 1 errored, 2 failed checks/);
    expect(duetLine).toBe(`Head \`ccccccc\` vs base \`bbbbbbb\`, same runner, ${DUET_ROUNDS} rounds each; 1 changed by this pull request, judged by absolute limits only.`);

    // Every failing row with its change and interval, every failed check.
    const attention = sectionRows(posted, '### Regressions and breaches');
    const failing = comparison.verdicts.filter((v) => v.kind === 'errored' || ((v.kind === 'regressed' || v.kind === 'breached') && v.severity === 'fail'));
    expect(failing).toHaveLength(5);
    for (const verdict of failing) expect(attention).toContain(renderVerdictRow(verdict));
    expect(attention.find((row) => row.startsWith('| bench.crud.get\\_by\\_id | avg\\_ms |'))).toMatch(/\| \+2\d\.\d% \(\+2\d\.\d% to \+2\d\.\d%\) \| 99\.8% interval, 16 pairs; margin 5% \/ 0\.01 ms \|$/);
    expect(sectionRows(posted, '### Failed checks')).toEqual(comparison.failedChecks.map(renderCheckRow));

    // One row per scenario, its deciding metric with the change and its interval.
    const scenarios = sectionRows(posted, '### Scenarios (51)');
    expect(scenarios).toHaveLength(51);
    expect(posted).toContain('| Scenario | Metric | Base | Head | Change (interval) | Verdict |');
    expect(scenarios.find((row) => row.startsWith('| bench.crud.create | avg\\_ms |'))).toMatch(/ \| [+-]\d\.\d% \([+-]\d\.\d% to [+-]\d\.\d%\) \| pass \|$/);
    expect(scenarios.find((row) => row.startsWith('| bench.complex.join |'))).toContain('pass (definition changed: absolute limits only)');
    expect(scenarios.find((row) => row.startsWith('| retry.timeout |'))).toContain('❌ errored');

    // Everything else folded, compared metrics first; the rest in the job summary.
    expect(posted).toMatch(/<details><summary>All other metrics \(\d+ of \d+ shown: those compared head against base\)<\/summary>/);
    expect(posted).toContain(`more rows in the [job summary](${RUN_URL}) and \`comparison.json\`._`);
    expect(posted).toMatch(new RegExp(`npm ci && npm run perf-gate -- run --against ${'b'.repeat(40)}( --scenarios [^ ]+)?\\n`));
    expect(Buffer.byteLength(summary, 'utf8')).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    for (const verdict of comparison.verdicts) expect(summary).toContain(renderVerdictRow(verdict));
  });

  it("writes comparison.json with both arms' figures of every round, valid against its schema", () => {
    const comparison = makeFullGateDuetComparison();
    const doc = toComparisonJson(comparison);
    const validate = new Ajv({ allowUnionTypes: true }).compile(COMPARISON_SCHEMA);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.schemaVersion).toBe(2);
    const getById = doc.duet?.scenarios.find((s) => s.scenarioId === 'bench.crud.get_by_id');
    expect(getById?.figures).toHaveLength(DUET_ROUNDS);
    expect(getById?.figures.every((f) => (f.head?.metrics.avg_ms ?? 0) > 0 && (f.base?.metrics.avg_ms ?? 0) > 0)).toBe(true);
    expect(doc.duet?.scenarios.find((s) => s.scenarioId === 'retry.timeout')?.figures[3]?.base).toBeNull();
    console.info(`full-gate duet: comparison.json ${Buffer.byteLength(formatComparisonJson(comparison), 'utf8')} bytes`);
  });
});
