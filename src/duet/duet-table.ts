/**
 * The duet's console table (pure): per scenario, the head's and the base's mean avg_ms over their
 * rounds and the ratio of the geometric mean of the per-round ratios head / base.
 *
 * PROVISIONAL: the ratio is a placeholder until the paired verdict (src/verdict/paired.ts) judges
 * head against base with tolerances and intervals; nothing here decides a pass or a fail.
 */
import { escapeConsole } from '../report/escape.js';
import { formatDuration, formatNumber } from '../report/format.js';
import { table } from '../report/run-summary.js';
import { meanOf } from '../suites/harness/stats.js';
import type { DuetRun, DuetScenario } from './duet-types.js';

/** The metric the table shows: the statistic the specification's latency targets use. */
const DECIDING_METRIC = 'avg_ms';

function valuesOf(scenario: DuetScenario, arm: 'head' | 'base'): number[] {
  return scenario.rounds.map((r) => r[arm]?.metrics[DECIDING_METRIC]?.value).filter((v): v is number => v !== undefined);
}

/** Geometric mean of head / base over the rounds where both arms measured a positive value. */
export function pairedRatio(scenario: DuetScenario): number | undefined {
  const logs = scenario.rounds.flatMap((r) => {
    const head = r.head?.metrics[DECIDING_METRIC]?.value;
    const base = r.base?.metrics[DECIDING_METRIC]?.value;
    return head !== undefined && base !== undefined && head > 0 && base > 0 ? [Math.log(head / base)] : [];
  });
  return logs.length > 0 ? Math.exp(meanOf(logs)) : undefined;
}

function row(scenario: DuetScenario): string[] {
  const head = valuesOf(scenario, 'head');
  const base = valuesOf(scenario, 'base');
  const ratio = pairedRatio(scenario);
  const errors = Object.entries(scenario.errors ?? {}).map(([arm, message]) => `${arm}: ${message}`);
  return [
    escapeConsole(scenario.id),
    scenario.status,
    head.length > 0 ? formatNumber(meanOf(head)) : '-',
    base.length > 0 ? formatNumber(meanOf(base)) : '-',
    ratio === undefined ? '-' : `${formatNumber(ratio)}x`,
    escapeConsole(errors.join('; ')).slice(0, 120),
  ];
}

/** The table and a line on the run: rounds, commits, setup and wall time. */
export function renderDuetTable(duet: DuetRun): string {
  const header = ['scenario', 'status', 'head avg ms', 'base avg ms', 'head/base (provisional)', 'error'];
  const counts = new Map<string, number>();
  for (const s of duet.scenarios) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  const { run, timings } = duet;
  const prep = timings.preparation
    ? `preparation: head ${formatDuration(timings.preparation.headMs)}, base ${formatDuration(timings.preparation.baseMs)}; `
    : '';
  return [
    table(header, duet.scenarios.map(row)),
    '',
    `duet: head ${run.headSha?.slice(0, 12) ?? '(working tree)'} vs base ${run.baseSha?.slice(0, 12) ?? '?'}, ${run.rounds} round(s) each; ${duet.scenarios.length} scenarios: ${tally}`,
    `time: ${prep}setup head ${formatDuration(timings.setupMs.head)}, base ${formatDuration(timings.setupMs.base)} (in parallel); run ${formatDuration(timings.wallMs)}`,
    'head/base is the geometric mean of the per-round ratios of avg_ms: provisional, not a verdict.',
    '',
  ].join('\n');
}
