import type { ScenarioResult } from '../results/types.js';

/** A result that records why an arm has no measurement for a round (its worker crashed, hung, ...). */
export function erroredResult(
  scenario: Pick<ScenarioResult, 'id' | 'category' | 'params'>,
  message: string,
  wallMs = 0,
): ScenarioResult {
  const { id, category, params } = scenario;
  return { id, category, params, status: 'errored', error: { name: 'WorkerFailure', message }, checks: [], metrics: {}, wallMs };
}
