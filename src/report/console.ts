import type { Comparison, MetricVerdict } from '../verdict/types.js';
import { renderCostConsole } from './cost-report.js';
import { escapeConsole } from './escape.js';
import { formatBaseline, formatChange, formatCheckOutcome, formatCurrent, formatEvidence } from './format.js';
import { renderDuetLine, renderHeadline } from './markdown.js';

const HEAD = ['VERDICT', 'SCENARIO', 'METRIC', 'BASELINE', 'NOW', 'CHANGE', 'EVIDENCE'];
const DUET_HEAD = ['VERDICT', 'SCENARIO', 'METRIC', 'BASE', 'HEAD', 'CHANGE (INTERVAL)', 'EVIDENCE'];

/** A duet pass whose estimate is beyond the margin on the worse side, with an interval reaching back inside it. */
function isLeaningWorse(verdict: MetricVerdict): boolean {
  return verdict.kind === 'pass' && verdict.paired?.outcome === 'inconclusive' && verdict.paired.leaning === 'worse';
}

function toCells(verdict: MetricVerdict): string[] {
  const label =
    verdict.kind === 'regressed' || verdict.kind === 'breached' ? `${verdict.kind} (${verdict.severity})` : isLeaningWorse(verdict) ? 'inconclusive' : verdict.kind;
  const evidence = [formatEvidence(verdict), ...verdict.notes].filter(Boolean).join('; ');
  return [label, verdict.scenarioId, verdict.metric, formatBaseline(verdict), formatCurrent(verdict), formatChange(verdict), evidence].map(
    escapeConsole,
  );
}

/** Pads columns to equal width; the last column is left ragged. */
function renderColumns(rows: readonly string[][]): string[] {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

const ORDER: Readonly<Record<MetricVerdict['kind'], number>> = {
  errored: 0,
  breached: 1,
  regressed: 2,
  missing: 3,
  improved: 4,
  new: 5,
  pass: 6,
};

export interface ConsoleOptions {
  /** How a baseline is stored, in the caller's words (the CLI's flag, the action's rule). */
  storeBaseline: string;
}

/**
 * The plain-text report for the CLI and the action's log: the headline, a table of every verdict
 * that is not a plain pass (worst first), failed checks, fingerprint notes, and a count of passes.
 */
export function renderConsole(comparison: Comparison, options: ConsoleOptions): string {
  const headline = renderHeadline(comparison).replace(/\*\*/g, '');
  const duetLine = renderDuetLine(comparison)?.replace(/`/g, '');
  // Metrics with no baseline are counted, not listed: a first run would otherwise print hundreds.
  const fresh = comparison.verdicts.filter((v) => v.kind === 'new').length;
  const shown = comparison.verdicts
    .filter((v) => (v.kind !== 'pass' && v.kind !== 'new') || isLeaningWorse(v))
    .sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const passes = comparison.verdicts.length - shown.length - fresh;
  const lines = [headline, ...(duetLine ? [duetLine] : []), ''];
  if (shown.length > 0) lines.push(...renderColumns([comparison.mode === 'duet' ? DUET_HEAD : HEAD, ...shown.map(toCells)]), '');
  for (const failed of comparison.failedChecks) {
    const { scenarioId, check } = failed;
    lines.push(escapeConsole(`failed check ${scenarioId} ${check.name}: expected ${check.expected}, measured ${String(check.measured)}; ${formatCheckOutcome(failed)}`));
  }
  for (const line of renderCostConsole(comparison.cost)) lines.push(escapeConsole(line));
  for (const d of comparison.fingerprint.differences) {
    lines.push(`environment differs from the baseline: ${d.field} ${d.baseline} -> ${d.current}`);
  }
  if (comparison.mode === 'duet') {
    if (fresh > 0) lines.push(`${fresh} metrics are in the head only`);
    lines.push(`${passes} metrics passed (the head's absolute limits, and head against base where compared)`);
  } else {
    if (fresh > 0) lines.push(`${fresh} metrics have no baseline yet (${options.storeBaseline})`);
    lines.push(`${passes} metrics passed; history of ${comparison.history.runs} runs`);
  }
  return `${lines.join('\n')}\n`;
}
