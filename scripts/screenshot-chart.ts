/**
 * A picture of the comment's trend chart as GitHub's light and dark themes show it, rendered by the
 * pinned mermaid in headless Chromium:
 *
 *   npm run chart:screenshot -- out.png                          # a ten-run history with repeated commits
 *   npm run chart:screenshot -- out.png --comparison comparison.json   # the chart of a real run
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeError } from '../src/common/error-message.js';
import { renderTrendChart } from '../src/report/trend-chart.js';
import type { Comparison } from '../src/verdict/types.js';
import { makeRepeatedShaComparison } from '../test/report/report-fixtures.js';
import {
  extractMermaidBlocks,
  GITHUB_THEMES,
  launchChromium,
  openMermaidPage,
  renderMermaid,
  type GitHubTheme,
} from '../test/support/mermaid-browser.js';

const WIDTH = 900;

/** The legend lines as plain text: list markers and markdown escapes dropped. */
function readLegend(chart: string): string[] {
  return chart
    .split('\n')
    .filter((line) => line.startsWith('- ') || line.startsWith('_'))
    .map((line) => line.replace(/^- /, '').replace(/^_|_$/g, '').replace(/\\(.)/g, '$1'));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function loadComparison(file: string | undefined): Promise<Pick<Comparison, 'trends' | 'verdicts'>> {
  if (!file) return makeRepeatedShaComparison();
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Comparison>;
  if (!Array.isArray(parsed.trends) || !Array.isArray(parsed.verdicts)) {
    throw new Error(`--comparison '${file}' must be a comparison.json with 'trends' and 'verdicts' arrays`);
  }
  return { trends: parsed.trends, verdicts: parsed.verdicts };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { comparison: { type: 'string' } }, allowPositionals: true });
  const out = positionals[0];
  if (!out || !out.endsWith('.png')) throw new Error(`expected the output file as 'out.png', got '${out ?? ''}'`);
  const chart = renderTrendChart(await loadComparison(values.comparison));
  const code = extractMermaidBlocks(chart)[0];
  if (!code) throw new Error('the comparison has no trend chart (fewer than two runs or no complete trend)');
  const legend = readLegend(chart);
  const browser = await launchChromium();
  try {
    const panels: string[] = [];
    for (const theme of Object.keys(GITHUB_THEMES) as GitHubTheme[]) {
      const page = await openMermaidPage(browser, theme, WIDTH);
      const rendered = await renderMermaid(page, code, theme);
      if (rendered.error) throw new Error(`mermaid could not render the chart: ${rendered.error}`);
      const { background, text } = GITHUB_THEMES[theme];
      const notes = legend.map((line) => `<div>${escapeHtml(line)}</div>`).join('');
      panels.push(`<section style="background:${background};color:${text};padding:16px">${rendered.svg}${notes}</section>`);
      await page.close();
    }
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 600 } });
    await page.setContent(`<!doctype html><body style="margin:0;font:14px -apple-system,'Segoe UI',Helvetica,Arial,sans-serif">${panels.join('')}</body>`);
    await page.screenshot({ path: out, fullPage: true });
    console.log(`wrote ${out}: the chart on GitHub's light theme, then on its dark theme`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(describeError(error));
  process.exitCode = 1;
});
