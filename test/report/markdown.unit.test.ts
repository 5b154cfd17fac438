import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/report/escape.js';
import { COMMENT_MARKER, MAX_COMMENT_LENGTH, renderMarkdown } from '../../src/report/markdown.js';
import type { Comparison, MetricVerdict } from '../../src/verdict/types.js';
import { GOLDEN_CASES, GOLDEN_DIR } from './golden-cases.js';
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

describe('renderMarkdown', () => {
  it('renders a passing comparison (golden)', () => {
    renderGolden('pass.md');
  });

  it('renders a failing comparison with a thresholds change (golden)', () => {
    const body = renderGolden('fail.md');
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    expect(body.indexOf('### Regressions and breaches')).toBeLessThan(body.indexOf('### Improvements'));
    expect(body.indexOf('### Improvements')).toBeLessThan(body.indexOf('<details><summary>All other verdicts'));
  });

  it('escapes names and values from data so they cannot inject markup or mention anyone', () => {
    const body = renderMarkdown(makeFailingComparison(), { thresholdsChange: 'x @boss <b>' });
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

  it('stays under 65,536 characters, cutting the folded part first and saying so', () => {
    const comparison = makePassingComparison();
    const filler = comparison.verdicts.find((v) => v.kind === 'pass') as MetricVerdict;
    const verdicts = Array.from({ length: 3000 }, (_, i) => ({ ...filler, scenarioId: `bench.pagination:${i}`, notes: ['x'.repeat(20)] }));
    const big: Comparison = { ...comparison, verdicts };
    const body = renderMarkdown(big);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body).toMatch(/_\d+ more rows left out to stay under the comment size limit\._/);
    expect(body).toContain('### Reproduce locally');
    expect(renderMarkdown(big, { maxLength: 500 }).length).toBeLessThanOrEqual(500);
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
