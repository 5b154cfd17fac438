/**
 * Renders a mermaid diagram the way a reader's browser does: mermaid's own browser bundle (the pinned
 * devDependency) in headless Chromium, driven by playwright-core. Used by the chart's browser test
 * and by `npm run chart:screenshot`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's `chromium` package; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags a quiet, offline, throw-away browser needs (playwright-core adds a fresh profile). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** GitHub's page backgrounds: mermaid's `default` theme on light, `dark` on dark. */
export const GITHUB_THEMES = {
  light: { mermaidTheme: 'default', background: '#ffffff', text: '#1f2328' },
  dark: { mermaidTheme: 'dark', background: '#0d1117', text: '#e6edf3' },
} as const;
export type GitHubTheme = keyof typeof GITHUB_THEMES;

/** What the rendered SVG holds, read from its elements. */
export interface RenderedChart {
  /** mermaid's error message, or null when it rendered. */
  error: string | null;
  svg: string;
  /** One entry per plotted line: its stroke colour and the x of each point. */
  lines: { stroke: string; xs: number[]; ys: number[] }[];
  /** The x-axis labels as drawn. */
  xLabels: string[];
  /** The y-axis tick labels as drawn, bottom to top. */
  yLabels: string[];
}

/** Starts headless Chromium; fails with what to install when it is absent. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at '${CHROMIUM_PATH}' (CHROMIUM_PATH): the chart test renders the comment's mermaid chart in a real ` +
        `browser; install it with 'apt-get update && apt-get install -y chromium' (.ci/run does)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
}

/** The path of mermaid's browser bundle inside node_modules. */
function resolveMermaidBundle(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}

/**
 * The page-side code, as text: a function compiled by tsx would carry its helpers (`__name`) into
 * the page, where they do not exist. It renders `code` and reads the SVG back.
 */
const RENDER_IN_PAGE = `async ({ code, theme, id }) => {
  mermaid.initialize({ startOnLoad: false, theme, securityLevel: 'strict' });
  let svg;
  try {
    svg = (await mermaid.render(id, code)).svg;
  } catch (error) {
    return { error: String(error && error.message || error), svg: '', lines: [], xLabels: [], yLabels: [] };
  }
  const host = document.getElementById('host');
  host.innerHTML = svg;
  const numbers = (d) => (d.match(/-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?/g) || []).map(Number);
  const lines = [...host.querySelectorAll('g.plot > g[class^="line-plot-"] > path')].map((path) => {
    const n = numbers(path.getAttribute('d') || '');
    return {
      stroke: path.getAttribute('stroke'),
      xs: n.filter((_, i) => i % 2 === 0),
      ys: n.filter((_, i) => i % 2 === 1),
    };
  });
  const texts = (selector) => [...host.querySelectorAll(selector)].map((t) => t.textContent);
  const error = host.querySelector('.error-text') ? 'mermaid drew its error picture' : null;
  return { error, svg, lines, xLabels: texts('g.bottom-axis > g.label > text'), yLabels: texts('g.left-axis > g.label > text') };
}`;

/** Opens a page with mermaid loaded on a GitHub-like background. */
export async function openMermaidPage(browser: Browser, theme: GitHubTheme, width = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 600 } });
  const { background, text } = GITHUB_THEMES[theme];
  await page.setContent(
    `<!doctype html><html><body style="margin:0;padding:16px;background:${background};color:${text};` +
      `font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"><div id="host"></div><div id="notes"></div></body></html>`,
  );
  await page.addScriptTag({ path: resolveMermaidBundle() });
  return page;
}

/** Renders one mermaid diagram on `page` (replacing the previous one) and reads the SVG back. */
export async function renderMermaid(page: Page, code: string, theme: GitHubTheme): Promise<RenderedChart> {
  // The id scopes the SVG's styles: two charts on one page need two ids.
  const argument = JSON.stringify({ code, theme: GITHUB_THEMES[theme].mermaidTheme, id: `chart-${theme}` });
  return (await page.evaluate(`(${RENDER_IN_PAGE})(${argument})`)) as RenderedChart;
}

/** The body of every ```mermaid block of a markdown text. */
export function extractMermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] ?? '');
}
