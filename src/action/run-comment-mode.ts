/**
 * `mode: comment`: the second stage for fork pull requests. A `workflow_run` job (with a write
 * token, but none of the fork's code) reads the files the pull_request run uploaded, checks them
 * against the event (schemas, repository, head sha, and that the pull request really has that head),
 * and posts the comment. The verdict decided the pull_request run's check; this step only reports.
 */
import type { CommentInputs } from '../config/action-inputs.js';
import { isPullRequestEvent, readEventContextFromRunner, type WorkflowRunContext } from '../github/event-context.js';
import { createGitHubClient, readHttpStatus, type GitHubClient } from '../github/octokit.js';
import { decideComment } from '../publish/comment-policy.js';
import { publishComment } from '../publish/publish.js';
import { renderReportBodies } from '../publish/report-bodies.js';
import { readReportFiles } from '../publish/report-files.js';
import type { RunContextDocument } from '../publish/run-context-file.js';
import type { ActionIo } from './action-io.js';
import { setReportOutputs } from './action-outputs.js';
import type { ModeResult } from './run-gate-mode.js';

/** Reads, checks and publishes the uploaded report. */
export async function runCommentMode(inputs: CommentInputs, io: ActionIo, env: NodeJS.ProcessEnv): Promise<ModeResult> {
  const context = readEventContextFromRunner(env);
  if (context.kind !== 'workflow_run') {
    throw new Error(`'mode: comment' runs in a workflow_run job (the fork workflow's second stage), got the event '${context.eventName}'`);
  }
  const octokit = createGitHubClient({ token: inputs.githubToken, env, onWarning: (message) => io.warning(message) });
  const files = await io.group('perf-gate: read the uploaded report', async () => {
    const read = await readReportFiles(inputs);
    const prNumber = checkRunContext(read.context, context);
    await checkPullRequestHead(octokit, context, prNumber);
    io.info(`report of pull request #${prNumber} at ${context.headSha.slice(0, 12)}: checked`);
    return { ...read, prNumber };
  });
  const { outcome } = files.comparison;
  const bodies = renderReportBodies(files.comparison, {
    commentKey: inputs.commentKey,
    thresholdsChange: [...files.context.notes, ...files.context.thresholdsChange],
    notes: files.context.headlineNotes ?? [],
    redact: io.redact,
  });
  await io.group('perf-gate: report', async () => {
    await io.writeSummary(bodies.summary);
    setReportOutputs(io, outcome, inputs);
  });
  await io.group('perf-gate: publish', async () => {
    const decision = decideComment(inputs.comment, files.prNumber, outcome);
    const url = await publishComment({ octokit, repository: context.repository, decision, body: bodies.comment, commentKey: inputs.commentKey }, io);
    io.setOutput('comment-url', url ?? '');
  });
  return { failure: undefined };
}

/** The uploaded context must belong to this repository, this head commit and a pull request. */
export function checkRunContext(uploaded: RunContextDocument, event: WorkflowRunContext): number {
  const repository = `${event.repository.owner}/${event.repository.repo}`;
  const where = 'the uploaded context.json';
  if (!isPullRequestEvent(event.triggeringEvent)) {
    throw new Error(`the workflow_run was triggered by '${event.triggeringEvent}', expected pull_request: nothing to comment on`);
  }
  if (uploaded.repository !== repository) throw new Error(`${where} names the repository '${uploaded.repository}', expected '${repository}'`);
  if (uploaded.headSha !== event.headSha) throw new Error(`${where} names the head sha '${uploaded.headSha}', expected the workflow_run's '${event.headSha}'`);
  if (uploaded.prNumber === null) throw new Error(`${where} names no pull request (it came from a '${uploaded.event}' run)`);
  if (event.prNumbers.length > 0 && !event.prNumbers.includes(uploaded.prNumber)) {
    throw new Error(`${where} names pull request #${uploaded.prNumber}, expected one of the workflow_run's (${event.prNumbers.map((n) => `#${n}`).join(', ')})`);
  }
  return uploaded.prNumber;
}

/**
 * For a fork the event lists no pull request, so the number comes from the upload: make sure that
 * pull request's head is the commit the workflow ran on, so a crafted upload cannot comment elsewhere.
 */
async function checkPullRequestHead(octokit: GitHubClient, event: WorkflowRunContext, prNumber: number): Promise<void> {
  let headSha: string;
  try {
    ({ data: { head: { sha: headSha } } } = await octokit.rest.pulls.get({ ...event.repository, pull_number: prNumber }));
  } catch (error) {
    if (readHttpStatus(error) !== 404) throw error;
    throw new Error(`pull request #${prNumber} of the uploaded context.json does not exist in ${event.repository.owner}/${event.repository.repo}`, { cause: error });
  }
  if (headSha !== event.headSha) {
    throw new Error(`pull request #${prNumber}'s head is ${headSha.slice(0, 12)}, not the workflow_run's ${event.headSha.slice(0, 12)}: refusing to comment`);
  }
}
