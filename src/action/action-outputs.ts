import type { OutcomeCounts } from '../verdict/types.js';
import type { ActionIo } from './action-io.js';
import { nameVerdict } from './step-verdict.js';

/**
 * The outputs both modes set once the report is known (action.yml, Outputs): the verdict, its
 * counts and where the two documents are. `comment-url` is set by the publish step.
 */
export function setReportOutputs(io: ActionIo, outcome: OutcomeCounts, paths: { resultsPath: string; comparisonPath: string }): void {
  io.setOutput('verdict', nameVerdict(outcome));
  io.setOutput('regressions', outcome.regressions);
  io.setOutput('breaches', outcome.breaches);
  io.setOutput('results-path', paths.resultsPath);
  io.setOutput('comparison-path', paths.comparisonPath);
}
