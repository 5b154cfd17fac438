/**
 * The two renderings of a run's report. The PR comment is bounded by GitHub's comment limit with the
 * sticky marker counted in; the job summary, with its 1 MiB limit, carries every metric. Both action
 * modes render through here, so the fork workflow's second stage posts what a same-repository run
 * would.
 */
import { renderMarkdown } from '../report/markdown.js';
import type { Comparison } from '../verdict/types.js';
import { buildCommentMarker, MAX_COMMENT_BYTES } from './comment-marker.js';
import { describeActionReproduce } from './report-words.js';

/**
 * GitHub drops a step summary over 1 MiB ("supports content up to a size of 1024k"); 1 KiB is kept
 * for the line break core.summary adds.
 */
export const MAX_SUMMARY_BYTES = 1024 * 1024 - 1024;

export interface ReportBodiesRequest {
  /** The `comment-key` input: the comment's marker. */
  commentKey: string;
  /** Lines of the thresholds section: where the thresholds came from, and what the PR changes. */
  thresholdsChange: readonly string[];
  /** Lines under the headline (see MarkdownOptions.notes). */
  notes?: readonly string[];
  /** This run's page, where its job summary is; named in the comment when rows are left out. */
  runUrl?: string;
  /** Removes secrets; applied before the bodies are measured. */
  redact: (text: string) => string;
}

export interface ReportBodies {
  comment: string;
  summary: string;
}

/** Renders the comment and the job summary of `comparison`. */
export function renderReportBodies(comparison: Comparison, request: ReportBodiesRequest): ReportBodies {
  const common = { thresholdsChange: request.thresholdsChange, notes: request.notes ?? [], redact: request.redact, reproduce: describeActionReproduce(comparison) };
  return {
    comment: renderMarkdown(comparison, {
      ...common,
      marker: buildCommentMarker(request.commentKey),
      maxBytes: MAX_COMMENT_BYTES,
      fullReport: { kind: 'job-summary', url: request.runUrl },
    }),
    summary: renderMarkdown(comparison, { ...common, maxBytes: MAX_SUMMARY_BYTES, fullReport: { kind: 'comparison-json' } }),
  };
}

/** The page of this workflow run (its job summaries), from the runner's variables; undefined outside one. */
export function buildRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId || !/^\d+$/.test(runId)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
}
