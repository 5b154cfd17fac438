import type { EventContext } from '../github/event-context.js';

/**
 * Refuses the events `mode: gate` must not run on. To gate a pull request it runs the pull request's
 * code (the scenarios against its data layer); under pull_request_target that code would get a
 * write token and the repository's secrets. The safe shape is the two-stage fork workflow.
 */
export function checkGateEvent(context: EventContext): void {
  if (context.kind !== 'pull_request_target') return;
  throw new Error(
    "'mode: gate' refuses the pull_request_target event: to gate a pull request it runs the pull request's code, " +
      "and pull_request_target would run that code with a write token and the repository's secrets. " +
      "Run the gate on 'pull_request' (a fork gets a read-only token there) and post the comment from a 'workflow_run' job " +
      "with 'mode: comment': the two-stage fork workflow of the README",
  );
}
