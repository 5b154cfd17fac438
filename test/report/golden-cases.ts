/**
 * The rendered reports kept as golden files in test/report/golden: each file name with the text it
 * must hold. markdown.unit.test.ts compares them; `npm run golden:update` (scripts/update-golden.ts)
 * rewrites them after an intended change of the rendering, for review in the diff.
 */
import { RUN_STORE_BASELINE } from '../../src/cli/cli-words.js';
import { buildCommentMarker, MAX_COMMENT_BYTES } from '../../src/publish/comment-marker.js';
import { describeActionReproduce } from '../../src/publish/report-words.js';
import { renderConsole } from '../../src/report/console.js';
import { renderMarkdown, type MarkdownOptions } from '../../src/report/markdown.js';
import type { Comparison } from '../../src/verdict/types.js';
import { makeFailingComparison, makePassingComparison } from './report-fixtures.js';

/** The comment's marker and the options the action renders a comment with (its reproduce words are the golden cases'). */
export const MARKER = buildCommentMarker('perf-gate');
export const COMMENT: MarkdownOptions = {
  marker: MARKER,
  maxBytes: MAX_COMMENT_BYTES,
  fullReport: { kind: 'job-summary', url: 'https://github.com/acme/shop/actions/runs/42' },
  reproduce: ['_the caller says how to reproduce_'],
};

/** The options of the action's comment on `comparison`, its words included. */
function actionComment(comparison: Comparison): MarkdownOptions {
  return { ...COMMENT, reproduce: describeActionReproduce(comparison) };
}

export const GOLDEN_DIR = new URL('./golden/', import.meta.url);

/** A thresholds change note with a mention in it, which the report must defuse. */
export const GOLDEN_THRESHOLDS_CHANGE = ['bench.crud.get_by_id avg_ms max 10 -> 12 @boss'];

export const GOLDEN_CASES: Readonly<Record<string, () => string>> = {
  'pass.md': () => renderMarkdown(makePassingComparison(), actionComment(makePassingComparison())),
  'fail.md': () => renderMarkdown(makeFailingComparison(), { ...actionComment(makeFailingComparison()), thresholdsChange: GOLDEN_THRESHOLDS_CHANGE }),
  'fail-console.txt': () => renderConsole(makeFailingComparison(), { storeBaseline: RUN_STORE_BASELINE }),
};
