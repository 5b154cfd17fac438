import { toError } from '../common/error-message.js';
import { DatabaseUnavailableError } from '../run/database-target.js';

/**
 * One message for whatever stopped the run. The known kinds get a hint on what to do; anything
 * else keeps its own message (errors are thrown deep and caught only in run()).
 */
export function describeFailure(thrown: unknown): string {
  const error = toError(thrown);
  switch (error.name) {
    case 'InputError':
      return `perf-gate: bad input: ${error.message}`;
    case 'SettingError':
    case 'SelectionError':
      return `perf-gate: bad setting: ${error.message}`;
    default:
      break;
  }
  if (error instanceof DatabaseUnavailableError) {
    return (
      `perf-gate: the database of 'database-url' is not reachable: ${error.message}. ` +
      'Is the PostgreSQL service container running, healthy (health checks) and its port mapped? No baseline was written.'
    );
  }
  return `perf-gate: ${error.message}`;
}
