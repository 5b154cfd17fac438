/**
 * The comment's trend chart as a reader sees it: the markdown body's mermaid block rendered by the
 * pinned mermaid 11 in headless Chromium (Debian's `chromium`; .ci/run installs it). The job summary
 * is the same body (run-gate-mode and run-comment-mode write one `renderMarkdown` text to both), so
 * this is its chart too.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTrendChart, TREND_PALETTE } from '../../src/report/trend-chart.js';
import type { Comparison } from '../../src/verdict/types.js';
import { extractMermaidBlocks, GITHUB_THEMES, launchChromium, openMermaidPage, renderMermaid, type GitHubTheme, type RenderedChart } from '../support/mermaid-browser.js';
import { makeFailingComparison, makePassingComparison, makeRepeatedShaComparison, REPEATED_SHAS } from './report-fixtures.js';
import { COMMENT } from './golden-cases.js';

interface Session {
  browser: Browser;
  pages: Map<GitHubTheme, Page>;
}

async function startSession(): Promise<Session> {
  const browser = await launchChromium();
  const pages = new Map<GitHubTheme, Page>();
  for (const theme of Object.keys(GITHUB_THEMES) as GitHubTheme[]) pages.set(theme, await openMermaidPage(browser, theme));
  return { browser, pages };
}

// Every test awaits the session, so a missing Chromium fails each test with its message (a failing
// beforeAll would report them as skipped).
let session: Promise<Session>;

beforeAll(() => {
  session = startSession();
  session.catch(() => undefined);
});

afterAll(async () => {
  await (await session.catch(() => undefined))?.browser.close();
});

async function openPage(theme: GitHubTheme): Promise<Page> {
  return (await session).pages.get(theme)!;
}

/** The one mermaid block of the comment for `comparison`, rendered on `theme`. */
async function renderCommentChart(comparison: Comparison, theme: GitHubTheme): Promise<{ code: string; rendered: RenderedChart }> {
  const blocks = extractMermaidBlocks(renderMarkdown(comparison, COMMENT));
  expect(blocks).toHaveLength(1);
  const code = blocks[0]!;
  expect(extractMermaidBlocks(renderTrendChart(comparison))).toEqual([code]);
  return { code, rendered: await renderMermaid(await openPage(theme), code, theme) };
}

/** Distinct values, to the pixel's tenth: equal categories share one x. */
function countDistinct(xs: readonly number[]): number {
  return new Set(xs.map((x) => x.toFixed(1))).size;
}

describe("the comment's trend chart in a browser", () => {
  const cases: [string, () => Comparison][] = [
    ['a ten-run history with repeated commits and a regression', makeRepeatedShaComparison],
    ['a passing run', makePassingComparison],
    ['a failing run', makeFailingComparison],
  ];

  for (const [name, make] of cases) {
    for (const theme of Object.keys(GITHUB_THEMES) as GitHubTheme[]) {
      it(`renders ${name} on the ${theme} theme: one line per series, one x per run, our colours`, async () => {
        const comparison = make();
        const runs = comparison.trends[0]!.values.length;
        const { rendered } = await renderCommentChart(comparison, theme);
        expect(rendered.error).toBeNull();
        expect(rendered.lines).toHaveLength(comparison.trends.length);
        expect(rendered.xLabels).toHaveLength(runs);
        expect(new Set(rendered.xLabels).size).toBe(runs);
        rendered.lines.forEach((line, i) => {
          expect(line.xs).toHaveLength(runs);
          expect(countDistinct(line.xs)).toBe(runs);
          expect(line.stroke).toBe(TREND_PALETTE[i]!.color);
        });
      });
    }
  }

  it('keeps two runs of the same commit at two positions', async () => {
    const comparison = makeRepeatedShaComparison();
    const { rendered } = await renderCommentChart(comparison, 'light');
    expect(rendered.xLabels.slice(0, 3)).toEqual(['1:1e61571', '2:1e61571', '3:1e61571']);
    expect(REPEATED_SHAS.slice(0, 3)).toEqual(['1e61571', '1e61571', '1e61571']);
    const xs = rendered.lines[0]!.xs;
    expect(xs[1]! - xs[0]!).toBeGreaterThan(20);
    expect(xs[2]! - xs[1]!).toBeCloseTo(xs[1]! - xs[0]!, 1);
  });

  it('shows the change, not the distance from 0: the y axis starts near the lowest value', async () => {
    const { rendered } = await renderCommentChart(makeRepeatedShaComparison(), 'light');
    const ticks = rendered.yLabels.map(Number);
    expect(Math.min(...ticks)).toBe(0.2);
    expect(Math.max(...ticks)).toBe(1.2);
  });

  it('would catch the old chart: repeated labels put runs at one x', async () => {
    const code = 'xychart-beta\n  x-axis ["1e61571", "1e61571", "this run"]\n  y-axis "ms" 0 --> 1\n  line [0.3, 0.31, 0.4]';
    const rendered = await renderMermaid(await openPage('light'), code, 'light');
    expect(rendered.error).toBeNull();
    expect(countDistinct(rendered.lines[0]!.xs)).toBe(2);
  });

  it('reports a syntax error as an error', async () => {
    const rendered = await renderMermaid(await openPage('light'), 'xychart-beta\n  x-axis ["a", "b"\n  line [1, 2]', 'light');
    expect(rendered.error).toMatch(/Parse error/);
  });
});
