/**
 * A picture of a perf-gate pull-request comment as GitHub shows it (light theme): the comment's
 * markdown rendered to HTML by marked (GitHub-flavoured: tables, fenced code, raw <details>, line
 * breaks as in comments), styled with github-markdown-css, and screenshotted in headless Chromium
 * (the chart test's browser).
 *
 *   npm run comment:picture                                   # docs/comment-sample.md -> docs/comment.png
 *   npm run comment:picture -- --markdown comment.md --out comment.png
 *
 * The markdown is a real run's `--markdown` file (docs/comment.md says which run made the sample).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { marked } from 'marked';
import { describeError } from '../src/common/error-message.js';
import { launchChromium } from '../test/support/mermaid-browser.js';

/** About the width of a comment in a pull request's conversation on a desktop browser. */
const WIDTH = 980;

/** The stylesheet GitHub's markdown bodies use, light theme only. */
async function readGitHubCss(): Promise<string> {
  return readFile(createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
}

/** A page that frames the rendered comment as GitHub's conversation view does: a bordered box. */
function buildPage(body: string, css: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
  html, body { margin: 0; background: #ffffff; }
  .frame { margin: 16px; border: 1px solid #d1d9e0; border-radius: 6px; }
  .frame-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; color: #59636e;
    font: 14px -apple-system, 'Segoe UI', 'Noto Sans', Helvetica, Arial, sans-serif; border-radius: 6px 6px 0 0; }
  .markdown-body { padding: 16px; font-size: 14px; }
  </style></head><body><div class="frame"><div class="frame-header"><b style="color:#1f2328">github-actions</b> bot commented</div>
  <article class="markdown-body">${body}</article></div></body></html>`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      markdown: { type: 'string', default: 'docs/comment-sample.md' },
      out: { type: 'string', default: 'docs/comment.png' },
    },
  });
  if (!values.out.endsWith('.png')) throw new Error(`--out must name a .png file, got '${values.out}'`);
  const markdown = await readFile(values.markdown, 'utf8');
  // GitHub renders a comment's single newlines as line breaks (unlike a README).
  const html = await marked.parse(markdown, { gfm: true, breaks: true, async: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 600 }, deviceScaleFactor: 1 });
    await page.setContent(buildPage(html, await readGitHubCss()), { waitUntil: 'load' });
    await page.locator('.frame').screenshot({ path: values.out });
    console.log(`wrote ${values.out}: ${values.markdown} as a comment on GitHub's light theme`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(describeError(error));
  process.exitCode = 1;
});
