import type { UpdateBaseline } from '../config/action-inputs.js';
import { isPullRequest, type EventContext } from '../github/event-context.js';

/** Whether this run is stored as a baseline, decided from the input and the event alone. */
export type BaselineDecision =
  | { kind: 'store'; branch: string; sha: string }
  | { kind: 'skip'; reason: string; warn: boolean };

/**
 * `auto` stores a push to the default branch only; `true` / `false` force it. A pull_request or
 * pull_request_target run never writes the baseline, whatever the input says (its code is the
 * PR's, not the default branch's), and says so when the input asked for it.
 */
export function decideBaselineUpdate(setting: UpdateBaseline, context: EventContext, defaultBranch: string): BaselineDecision {
  if (isPullRequest(context)) {
    const reason = `a ${context.kind} run never writes the baseline`;
    return { kind: 'skip', reason: setting === true ? `'update-baseline' is true, but ${reason}` : reason, warn: setting === true };
  }
  if (setting === false) return { kind: 'skip', reason: "'update-baseline' is false", warn: false };
  const sha = context.kind === 'push' ? context.headSha : context.sha;
  const branch = context.kind === 'push' ? context.branch : branchOfRef(context.ref);
  if (setting === 'auto' && !(context.kind === 'push' && context.isDefaultBranch)) {
    return { kind: 'skip', reason: `'update-baseline' is auto and this is not a push to '${defaultBranch}'`, warn: false };
  }
  return { kind: 'store', branch: branch ?? defaultBranch, sha };
}

function branchOfRef(ref: string): string | undefined {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
