import { parseArgs } from 'node:util';
import { describeError } from '../common/error-message.js';
import { splitList } from '../config/action-inputs.js';
import { SCALE_BOUNDS, SEED_BOUNDS, SEED_USERS_BOUNDS } from '../config/run-size.js';
import { createSeed } from '../suites/harness/random.js';
import { DEFAULT_ROUNDS, ROUNDS_BOUNDS } from '../duet/coordinator.js';
import { UsageError, readNumberFlag } from './flags.js';

export const RUN_USAGE = `usage: perf-gate run [--categories pooling,retry,sessions,bench] [--scenarios id,...]
  [--output .perf-gate/results.json] [--markdown FILE] [--json FILE]
  [--baseline DIR (.perf-gate/baselines)] [--baseline-branch main] [--save-baseline]
  [--thresholds thresholds.json] [--users 10000] [--seed N] [--scale 1] [--keep-database] [--no-confirm-rerun]
  [--against REF [--rounds ${DEFAULT_ROUNDS}]] [--perf FILE]
Uses DATABASE_URL when set, else an embedded PostgreSQL. --against measures the working tree and
REF's commit (a branch: its merge base with HEAD) in the same run, in alternating rounds.
In a project with a perf file (perf/*.perf.ts, or --perf FILE), runs that file's scenarios on the
project's own MikroORM data layer; without one, perf-gate's own data layer and its 51 scenarios.`;

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
  against: { type: 'string' },
  perf: { type: 'string' },
  rounds: { type: 'string' },
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
    rounds: readRoundsFlag(values),
  };
}

/** --rounds belongs to --against; a duet run is not a baseline (the history holds single-arm runs). */
function readRoundsFlag(values: { against?: string; rounds?: string; 'save-baseline'?: boolean }): number {
  if (values.against === undefined) {
    if (values.rounds !== undefined) throw new UsageError(`--rounds '${values.rounds}' needs --against <ref>`);
    return DEFAULT_ROUNDS;
  }
  if (values.against.trim() === '') throw new UsageError(`--against must name a git ref (a branch, tag or commit), got '${values.against}'`);
  if (values['save-baseline']) throw new UsageError('--save-baseline cannot be combined with --against: a duet run is not stored as a baseline');
  return values.rounds === undefined ? DEFAULT_ROUNDS : readNumberFlag('rounds', values.rounds, ROUNDS_BOUNDS);
}
