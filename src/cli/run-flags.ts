import { parseArgs } from 'node:util';
import { describeError } from '../common/error-message.js';
import { splitList } from '../config/action-inputs.js';
import { SCALE_BOUNDS, SEED_BOUNDS, SEED_USERS_BOUNDS } from '../config/run-size.js';
import { createSeed } from '../suites/harness/random.js';
import { UsageError, readNumberFlag } from './flags.js';

export const RUN_USAGE = `usage: perf-gate run [--categories pooling,retry,sessions,bench] [--scenarios id,...]
  [--output .perf-gate/results.json] [--markdown FILE] [--json FILE]
  [--baseline DIR (.perf-gate/baselines)] [--baseline-branch main] [--save-baseline]
  [--thresholds thresholds.json] [--users 10000] [--seed N] [--scale 1] [--keep-database] [--no-confirm-rerun]
Uses DATABASE_URL when set, else an embedded PostgreSQL.`;

const OPTIONS = {
  categories: { type: 'string' },
  scenarios: { type: 'string' },
  output: { type: 'string', default: '.perf-gate/results.json' },
  markdown: { type: 'string' },
  json: { type: 'string' },
  baseline: { type: 'string', default: '.perf-gate/baselines' },
  'baseline-branch': { type: 'string', default: 'main' },
  'save-baseline': { type: 'boolean', default: false },
  thresholds: { type: 'string', default: 'thresholds.json' },
  users: { type: 'string', default: '10000' },
  seed: { type: 'string' },
  scale: { type: 'string', default: '1' },
  'keep-database': { type: 'boolean', default: false },
  'no-confirm-rerun': { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** The flags of `perf-gate run`, parsed and checked (numbers within their bounds, lists split). */
export type RunFlags = ReturnType<typeof readRunFlags>;

/** Parses `argv`; a bad flag is a UsageError naming it, the value and what was expected. */
export function readRunFlags(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${describeError(error)}\n${RUN_USAGE}`);
  }
  return {
    ...values,
    users: readNumberFlag('users', values.users, SEED_USERS_BOUNDS),
    scale: readNumberFlag('scale', values.scale, SCALE_BOUNDS),
    seed: values.seed === undefined ? createSeed() : readNumberFlag('seed', values.seed, SEED_BOUNDS),
    categories: splitList(values.categories ?? ''),
    scenarios: splitList(values.scenarios ?? ''),
  };
}
