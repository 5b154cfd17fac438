import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { prepareCommentBody } from '../../src/publish/sticky-comment.js';
import { escapeMarkdown } from '../../src/report/escape.js';
import { measureBytes } from '../../src/report/fit-markdown.js';
import { pickDecidingVerdict, renderCheckRow, renderVerdictRow } from '../../src/report/markdown-rows.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Comparison, MetricVerdict } from '../../src/verdict/types.js';
import { COMMENT, GOLDEN_CASES, GOLDEN_DIR, MARKER } from './golden-cases.js';
import { makeFailingComparison, makePassingComparison } from './report-fixtures.js';

/**
 * Renders golden case `name` and compares it with its file; never writes. After an intended change
 * of the report, `npm run golden:update` rewrites the files for review.
 */
function renderGolden(name: string): string {
  const render = GOLDEN_CASES[name];
  if (!render) throw new Error(`no golden case '${name}' in golden-cases.ts`);
  const actual = render();
  expect(actual).toBe(readFileSync(new URL(name, GOLDEN_DIR), 'utf8'));
  return actual;
}

/** `comparison` with its verdicts repeated for `scenarios` scenarios (ids made unique). */
function multiply(comparison: Comparison, scenarios: number): Comparison {
  const verdicts = Array.from({ length: scenarios }, (_, i) => comparison.verdicts.map((v) => ({ ...v, scenarioId: `${v.scenarioId}:${i}` }))).flat();
  return { ...comparison, verdicts };
}

/** Every code fence and `<details>` of `body` is closed. */
function expectBalanced(body: string): void {
  expect((body.match(/^```/gm) ?? []).length % 2).toBe(0);
  expect((body.match(/<details>/g) ?? []).length).toBe((body.match(/<\/details>/g) ?? []).length);
}

describe('renderMarkdown', () => {
  it('renders a passing comparison (golden)', () => {
    renderGolden('pass.md');
  });

  it('renders a failing comparison with a thresholds change (golden)', () => {
    const body = renderGolden('fail.md');
    expect(body.startsWith(`${MARKER}\n❌ **perf-gate: fail**`)).toBe(true);
    const order = ['### Regressions and breaches', '### Failed checks', '### Scenarios (', '### Improvements', '<details><summary>All other metrics', '### Trend'];
    const positions = order.map((heading) => body.indexOf(heading));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('gives every scenario one row: its deciding metric and its verdict', () => {
    const body = renderMarkdown(makeFailingComparison(), COMMENT);
    const scenarios = body.slice(body.indexOf('### Scenarios'), body.indexOf('### Improvements'));
    expect(scenarios).toContain('| pooling.normal\\_load | avg\\_ms | 4.033 ms | 140 ms | +3371.5% (calibrated +3339.4%) | ❌ avg\\_ms breached, check no\\_leaks |');
    expect(scenarios).toContain('| bench.crud.get\\_by\\_id | avg\\_ms | 0.301 ms | 0.45 ms | +49.5% (calibrated +49.5%) | ⚠️ avg\\_ms regressed |');
    expect(scenarios).toContain('| bench.pagination:100 | avg\\_ms | – | 0.9 ms |  | ⚠️ check scales\\_linearly |');
    expect(scenarios).toContain('| bench.crud.update | – | – | errored |  | ❌ errored |');
    expect(scenarios).toContain('| bench.crud.create | avg\\_ms | 0.904 ms | 0.5 ms | -44.7% (calibrated -45.2%) | improved: avg\\_ms |');
    expect(scenarios).toContain('| bench.query.get\\_by\\_username | – | – | missing |  | ⚠️ missing |');
    expect(scenarios.match(/^\| /gm)).toHaveLength(2 + 7);
  });

  it('escapes names and values from data so they cannot inject markup or mention anyone', () => {
    const body = renderMarkdown(makeFailingComparison(), { ...COMMENT, thresholdsChange: 'x @boss <b>' });
    expect(body).not.toContain('<img');
    expect(body).not.toContain('<script>');
    expect(body).not.toContain('<b>');
    expect(body).not.toMatch(/@(octocat|team|boss)/);
    expect(body).not.toContain('[x](http');
    expect(body).not.toContain('`rm`');
    expect(escapeMarkdown('a|b')).toBe('a&#124;b');
    expect(escapeMarkdown('@x #1 `c` [l](u) <i> *e* _u_ ~s~ \\')).toBe(
      '@\u200Dx #\u200D1 &#96;c&#96; &#91;l&#93;(u) &lt;i&gt; \\*e\\* \\_u\\_ \\~s\\~ \\\\',
    );
    expect(escapeMarkdown('see https://x.io or www.x.io')).toBe('see https:\u200D//x.io or www\u200D.x.io');
    expect(escapeMarkdown('line\nbreak\r\n# heading')).toBe('line break #\u200D heading');
  });

  it('puts each note on one escaped line right under the headline', () => {
    const note = 'Judged against the baseline history, not head against base: could not fetch @boss <b>\nnext';
    const lines = renderMarkdown(makePassingComparison(), { ...COMMENT, notes: [note] }).split('\n');
    const at = lines.findIndex((line) => line.includes('perf-gate: pass'));
    expect(lines[at + 1]).toBe(`> ℹ️ ${escapeMarkdown(note)}`);
    expect(lines[at + 1]).not.toMatch(/<b>|@boss/);
    expect(lines[at + 2]).toBe('');
    expect(renderMarkdown(makePassingComparison(), { ...COMMENT, notes: [] })).toBe(renderMarkdown(makePassingComparison(), COMMENT));
  });

  it('links the job summary only through a plain https URL', () => {
    const rows = multiply(makePassingComparison(), 60);
    const linked = renderMarkdown(rows, { ...COMMENT, maxBytes: 8_000 });
    expect(linked).toContain('more rows in the [job summary](https://github.com/acme/shop/actions/runs/42) and `comparison.json`._');
    const crafted = renderMarkdown(rows, { ...COMMENT, maxBytes: 8_000, fullReport: { kind: 'job-summary', url: 'https://x.io/a) [click](https://evil' } });
    expect(crafted).toContain("more rows in the gate run's job summary and `comparison.json`._");
    expect(crafted).not.toContain('evil');
  });

  it('counts the marker in the budget, so the sticky comment sends the body as rendered', () => {
    const big = multiply(makeFailingComparison(), 150);
    for (const maxBytes of [MAX_COMMENT_BYTES, 20_000, 3_000]) {
      const body = renderMarkdown(big, { ...COMMENT, maxBytes });
      expect(measureBytes(body)).toBeLessThanOrEqual(maxBytes);
      expect(body.startsWith(`${MARKER}\n`)).toBe(true);
      expect(prepareCommentBody(body, MARKER)).toBe(body);
    }
  });

  it('leaves out the least important rows first, and says where they are', () => {
    const comparison = multiply(makeFailingComparison(), 40);
    const body = renderMarkdown(comparison, { ...COMMENT, maxBytes: 40_000 });
    expect(measureBytes(body)).toBeLessThanOrEqual(40_000);
    // Every regression, breach and failed check stays, and every scenario where something fails or warns.
    for (const verdict of comparison.verdicts.filter((v) => v.kind === 'regressed' || v.kind === 'breached' || v.kind === 'errored')) {
      expect(body).toContain(renderVerdictRow(verdict));
    }
    for (const failed of comparison.failedChecks) expect(body).toContain(renderCheckRow(failed));
    const scenarioRows = body.slice(body.indexOf('### Scenarios (280)'), body.indexOf('### Improvements')).split('\n').filter((l) => l.startsWith('| '));
    expect(scenarioRows.filter((row) => / \| (❌|⚠️) [^|]+ \|$/.test(row))).toHaveLength(40 * 4);
    // The folded detail and the improvements went first, and each says where its rows are.
    expect(body).toMatch(/<details><summary>All other metrics \(0 of 480 shown\)<\/summary>\n\n_480 more rows in the \[job summary\]/);
    expect(body).toMatch(/### Improvements\n\n_40 more rows in the \[job summary\]/);
    expect(body).toContain('### Reproduce locally');
    expectBalanced(body);
  });

  it('stays within the limit for thousands of scenarios, cutting at a line and saying where the report is', () => {
    const huge = multiply(makeFailingComparison(), 300);
    const body = renderMarkdown(huge, COMMENT);
    expect(measureBytes(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(body.startsWith(`${MARKER}\n❌ **perf-gate: fail**`)).toBe(true);
    expectBalanced(body);
    const tiny = renderMarkdown(huge, { ...COMMENT, maxBytes: 1_000 });
    expect(measureBytes(tiny)).toBeLessThanOrEqual(1_000);
    expect(tiny.startsWith(`${MARKER}\n❌ **perf-gate: fail**`)).toBe(true);
    expect(tiny).toMatch(/_Report cut here to stay within the size limit: the full report is in the \[job summary\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/42\) and `comparison\.json`\._$/);
    expectBalanced(tiny);
  });

  it('measures the body after redaction', () => {
    const big = multiply(makePassingComparison(), 300);
    const redact = (text: string): string => text.replaceAll('ms', '*****');
    const body = renderMarkdown(big, { ...COMMENT, maxBytes: 10_000, redact });
    expect(body).toContain('*****');
    expect(measureBytes(body)).toBeLessThanOrEqual(10_000);
  });
});

describe('pickDecidingVerdict', () => {
  const verdict = (metric: string, extra: Partial<MetricVerdict> = {}): MetricVerdict =>
    ({ scenarioId: 's', metric, unit: 'ms', direction: 'lower', severity: 'fail', notes: [], kind: 'new', current: 1, ...extra }) as MetricVerdict;

  it('prefers the average, then a metric that fails by default, then a compared one, then a latency', () => {
    expect(pickDecidingVerdict([verdict('p95_ms'), verdict('avg_ms')])?.metric).toBe('avg_ms');
    expect(pickDecidingVerdict([verdict('rss_mb', { unit: 'MB' }), verdict('memory_growth_mb', { unit: 'MB' })])?.metric).toBe('memory_growth_mb');
    expect(pickDecidingVerdict([verdict('retries', { unit: 'count' }), verdict('recovery_ms')])?.metric).toBe('recovery_ms');
    expect(pickDecidingVerdict([verdict('retries', { unit: 'count' })])?.metric).toBe('retries');
  });
});

describe('golden files', () => {
  it('keeps exactly one file per golden case', () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(Object.keys(GOLDEN_CASES).sort());
  });
});

describe('renderConsole', () => {
  it('renders a plain-text table, worst first (golden)', () => {
    renderGolden('fail-console.txt');
  });
});
