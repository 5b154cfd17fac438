/**
 * What the CLI's reports say that depends on the CLI being the caller: its own command for running
 * the gate again and its flag for storing a baseline (the action's words are publish/report-words.ts).
 */
import { DEFAULT_RUN_SIZE } from '../config/run-size.js';
import type { RunFlags } from './run-flags.js';

/** `perf-gate run`'s words for "N metrics have no baseline yet (...)". */
export const RUN_STORE_BASELINE = 'store one with --save-baseline';

/** `perf-gate compare`'s: a baseline is made by a run, not by a comparison. */
export const COMPARE_STORE_BASELINE = 'store one with perf-gate run --save-baseline';

/**
 * "Reproduce locally" for a --markdown file: the command that runs this gate again, with the flags
 * that chose what and how much ran (and the seed), when a run's flags are known.
 */
export function describeCliReproduce(flags?: RunFlags, project = false): string[] {
  const command = project ? 'npx perf-gate run' : 'npm run perf-gate -- run';
  return ['```sh', `${command}${flags ? formatRerunFlags(flags) : ''}`, '```'];
}

function formatRerunFlags(flags: RunFlags): string {
  const parts: string[] = [];
  if (flags.scenarios.length > 0) parts.push(`--scenarios ${flags.scenarios.join(',')}`);
  else if (flags.categories.length > 0) parts.push(`--categories ${flags.categories.join(',')}`);
  if (flags.thresholds !== 'thresholds.json') parts.push(`--thresholds ${quote(flags.thresholds)}`);
  if (flags.users !== DEFAULT_RUN_SIZE.users) parts.push(`--users ${flags.users}`);
  if (flags.scale !== DEFAULT_RUN_SIZE.scale) parts.push(`--scale ${flags.scale}`);
  parts.push(`--seed ${flags.seed}`);
  if (flags.against !== undefined) parts.push(`--against ${quote(flags.against)} --rounds ${flags.rounds}`);
  return parts.map((part) => ` ${part}`).join('');
}

/** A path as a shell word: bare when it is plain, else in single quotes. */
function quote(value: string): string {
  return /^[A-Za-z0-9_./:-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
