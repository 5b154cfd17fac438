import type { CommentPolicy } from '../config/action-inputs.js';
import type { Outcome } from '../verdict/types.js';

/** What to do about the sticky comment of this run. */
export type CommentDecision =
  | { kind: 'upsert'; prNumber: number }
  /** on-regression and a pass: refresh an earlier comment so it does not keep saying "fail". */
  | { kind: 'update-existing'; prNumber: number }
  | { kind: 'skip'; reason: string };

/** Applies the `comment` input to a run's outcome; `prNumber` is undefined outside pull requests. */
export function decideComment(policy: CommentPolicy, prNumber: number | undefined, outcome: Outcome): CommentDecision {
  if (prNumber === undefined) return { kind: 'skip', reason: 'not a pull request run' };
  if (policy === 'never') return { kind: 'skip', reason: "'comment' is never" };
  if (policy === 'on-regression' && outcome.kind === 'pass') return { kind: 'update-existing', prNumber };
  return { kind: 'upsert', prNumber };
}
