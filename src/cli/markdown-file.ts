import { DEFAULT_COMMENT_KEY } from '../config/action-inputs.js';
import { buildCommentMarker, MAX_COMMENT_BYTES } from '../publish/comment-marker.js';
import { renderMarkdown } from '../report/markdown.js';
import { isScenarioId } from '../suites/catalog.js';
import type { Comparison } from '../verdict/types.js';
import { describeCliReproduce } from './cli-words.js';
import type { RunFlags } from './run-flags.js';

/**
 * What `--markdown FILE` writes: the report as the action comments it (the default comment key's
 * marker, within GitHub's comment limit), so the file can be posted as it is; "Reproduce locally"
 * gives the CLI's command (with the run's flags, when `run` wrote it).
 */
export function renderMarkdownFile(comparison: Comparison, flags?: RunFlags): string {
  return renderMarkdown(comparison, {
    marker: buildCommentMarker(DEFAULT_COMMENT_KEY),
    maxBytes: MAX_COMMENT_BYTES,
    fullReport: { kind: 'comparison-json' },
    // A perf file's scenarios are run with the project's installed perf-gate.
    reproduce: describeCliReproduce(flags, comparison.verdicts.length > 0 && !comparison.verdicts.some((v) => isScenarioId(v.scenarioId))),
  });
}
