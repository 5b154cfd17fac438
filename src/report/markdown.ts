import type { Comparison, MetricVerdict } from '../verdict/types.js';
import { renderCostSection } from './cost-report.js';
import { escapeMarkdown } from './escape.js';
import { shrinkToFit, truncateMarkdown } from './fit-markdown.js';
import { estimateSizes, orderLeavingOut, selectLeftOut, type LeftOut, type RowFlags, type Rows } from './leave-out-rows.js';
import { formatDuration, formatNumber, formatValue, isCompared } from './format.js';
import {
  CHECK_HEAD,
  isWarning,
  renderCheckRow,
  renderRow,
  renderScenarioRows,
  renderVerdictRow,
  tableHeads,
} from './markdown-rows.js';
import { renderTrendChart } from './trend-chart.js';

/** Where a reader finds what the body had to leave out. */
export type FullReport =
  /** The PR comment: the gate run's job summary (linked when its URL is known) and comparison.json. */
  | { kind: 'job-summary'; url?: string }
  /** The job summary itself: comparison.json. */
  | { kind: 'comparison-json' };

export interface MarkdownOptions {
  /** Largest body, in UTF-8 bytes, the marker and redaction included. */
  maxBytes: number;
  /** Where rows left out to fit can be read; named wherever rows are left out. */
  fullReport: FullReport;
  /** A hidden first line, e.g. the sticky comment's marker (counted in `maxBytes`). */
  marker?: string;
  /**
   * Lines shown right under the headline, one each: how the run was judged when that is not what
   * the reader expects (the action's duet that fell back to the history, and why).
   */
  notes?: readonly string[];
  /** Changes to thresholds.json in this pull request: a diff text or a list of changes. */
  thresholdsChange?: string | readonly string[];
  /** Applied to the body before it is measured (the action removes secrets with it). */
  redact?: (text: string) => string;
  /**
   * How the reader runs the gate again, in the caller's words: markdown lines under "Reproduce
   * locally" (the action's comment names the action and the CLI, the CLI its own command). The
   * report renders them as given; the caller escapes anything that came from data.
   */
  reproduce: readonly string[];
}

/** The headline: pass, or the counts that fail, and the total time. */
export function renderHeadline(comparison: Comparison): string {
  const o = comparison.outcome;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(o.regressions, 'regression'), plural(o.breaches, 'breach').replace('breachs', 'breaches')];
  if (o.errored > 0) parts.push(`${o.errored} errored`);
  if (o.failedChecks > 0) parts.push(plural(o.failedChecks, 'failed check'));
  if (o.warnings > 0) parts.push(plural(o.warnings, 'warning'));
  if (o.improvements > 0) parts.push(plural(o.improvements, 'improvement'));
  const verdict = o.kind === 'pass' ? '✅ **perf-gate: pass**' : '❌ **perf-gate: fail**';
  return `${verdict}: ${parts.join(', ')} · total ${formatDuration(comparison.totalMs)}`;
}

/** A commit as the report shows it: its first seven characters in code. */
function shortSha(sha: string | null): string {
  return sha ? `\`${sha.slice(0, 7).replace(/[^0-9A-Za-z]/g, '')}\`` : 'the working tree';
}

/**
 * What a duet compared, right under the headline: `Head `abc1234` vs base `def5678`, same runner,
 * 16 rounds each`, with the scenarios whose plan ran fewer or more rounds and the extended ones.
 */
export function renderDuetLine(comparison: Comparison): string | undefined {
  const duet = comparison.duet;
  if (!duet) return undefined;
  const { min, max } = duet.roundsRun;
  const spread = min !== max && max > 0 ? ` (${min} to ${max} per scenario)` : '';
  const extended = duet.extended.length > 0 ? `; ${duet.extended.length} scenario${duet.extended.length === 1 ? '' : 's'} extended to decide` : '';
  const changed = duet.changed.length > 0 ? `; ${duet.changed.length} changed by this pull request, judged by absolute limits only` : '';
  return `Head ${shortSha(duet.headSha)} vs base ${shortSha(duet.baseSha)}, same runner, ${duet.rounds} rounds each${spread}${extended}${changed}.`;
}

/** Link text for the rows left out; the URL is used only when it is a plain https URL. */
function renderFullReport(fullReport: FullReport): string {
  if (fullReport.kind === 'comparison-json') return '`comparison.json`';
  const url = fullReport.url && /^https:\/\/[A-Za-z0-9._~/%:-]+$/.test(fullReport.url) ? fullReport.url : undefined;
  return `${url ? `the [job summary](${url})` : "the gate run's job summary"} and \`comparison.json\``;
}

function renderFingerprintNotes(comparison: Comparison): string[] {
  const { differences, policy } = comparison.fingerprint;
  if (differences.length === 0) return [];
  const what = differences.map((d) => `${d.field} ${d.baseline} → ${d.current}`).join(', ');
  const effect = policy === 'warn' ? 'relative regressions are warnings, not failures' : 'relative regressions still fail';
  return [`> ⚠️ The environment differs from the baseline's (${escapeMarkdown(what)}): ${effect}.`, ''];
}

/** How the duet ran, for the environment table: the arms, the rounds, where the time went. */
function duetRows(comparison: Comparison): string[][] {
  const duet = comparison.duet;
  if (!duet) return [];
  const { preparation, setupMs, wallMs } = duet.timings;
  const prep = preparation ? `head ${formatDuration(preparation.headMs)}, base ${formatDuration(preparation.baseMs)} (before the run)` : 'n/a';
  return [
    ['Duet', `head ${duet.headSha ?? 'working tree'} vs base ${duet.baseSha ?? '?'}, ${duet.rounds} rounds each, alternating`],
    ['Preparation of the arms', prep],
    ['Setup and run', `setup head ${formatDuration(setupMs.head)}, base ${formatDuration(setupMs.base)} (in parallel); run ${formatDuration(wallMs)}`],
  ];
}

function renderEnvironment(comparison: Comparison): string[] {
  const { environment: e, calibration: c, history } = comparison;
  const judgement =
    comparison.mode === 'duet'
      ? [...duetRows(comparison), ['History', `${history.runs} runs (the trend chart only)`]]
      : [
          ['History', `${history.runs} runs (noise needs ${history.minHistory})`],
          ['Machine-speed factor', c.factor === null ? 'n/a (no calibration baseline)' : `${formatNumber(c.factor)} (raw pg get-by-id p50 vs history median)`],
        ];
  const rows = [
    ['PostgreSQL', e.postgres.version],
    ['Node.js', e.node.version],
    ['CPU', `${e.cpu.count} × ${e.cpu.model}`],
    ['OS', `${e.os.platform} ${e.os.release} ${e.os.arch}`],
    ['Pool', `size ${e.pool.size}, overflow ${e.pool.maxOverflow}, timeout ${e.pool.timeoutSeconds} s`],
    ...judgement,
  ];
  const calibration = Object.entries(c.current).map(([name, s]) => [
    `calibration ${name}`,
    `avg ${formatValue(s.avg, 'ms')}, p50 ${formatValue(s.p50, 'ms')}, p95 ${formatValue(s.p95, 'ms')}, n ${s.n}`,
  ]);
  const table = [...rows, ...calibration].map((cells) => renderRow(cells));
  return ['<details><summary>Environment and calibration</summary>', '', '| | |', '| --- | --- |', ...table, '', '</details>', ''];
}

function isAttention(v: MetricVerdict): boolean {
  return v.kind === 'regressed' || v.kind === 'breached' || v.kind === 'errored';
}

/** Failing first, then warnings; otherwise in run order. */
function byFailingFirst(a: MetricVerdict, b: MetricVerdict): number {
  return Number(isWarning(a)) - Number(isWarning(b));
}

function thresholdsLines(change: MarkdownOptions['thresholdsChange']): string[] {
  if (change === undefined || change.length === 0) return [];
  const lines = typeof change === 'string' ? change.split(/\r?\n/) : [...change];
  return lines.map((line) => `- ${escapeMarkdown(line)}`);
}

/**
 * The pull-request comment and the job summary, for a reader: the headline (the verdict),
 * regressions, breaches and failed checks with their numbers, one row per scenario (its deciding
 * metric and verdict), improvements, every other metric folded, the trend chart, environment and
 * calibration, the thresholds change, and how to reproduce. Every name and value from data is
 * escaped.
 *
 * The body, marker included, stays within `maxBytes`: rows are left out, least important first (see
 * orderLeavingOut), each table saying how many rows went where; if that is not enough, the body is
 * cut at a line with a notice saying where the full report is.
 */
export function renderMarkdown(comparison: Comparison, options: MarkdownOptions): string {
  const attention = comparison.verdicts.filter(isAttention).sort(byFailingFirst);
  const others = comparison.verdicts.filter((v) => !isAttention(v) && v.kind !== 'improved');
  const scenarios = renderScenarioRows(comparison);
  const rows: Rows = {
    attention: attention.map(renderVerdictRow),
    checks: comparison.failedChecks.map(renderCheckRow),
    scenarios: scenarios.map((s) => s.row),
    improvements: comparison.verdicts.filter((v) => v.kind === 'improved').map(renderVerdictRow),
    detail: others.map(renderVerdictRow),
    thresholds: thresholdsLines(options.thresholdsChange),
  };
  const flags: RowFlags = {
    compared: others.map(isCompared),
    attention: scenarios.map((s) => s.attention),
    warningRow: attention.map(isWarning),
    warningCheck: comparison.failedChecks.map((f) => f.severity === 'warn'),
  };
  const order = orderLeavingOut(rows, flags);
  const where = renderFullReport(options.fullReport);
  const redact = options.redact ?? ((text: string) => text);
  const build = (steps: number): string => redact(renderBody(comparison, options, rows, flags, selectLeftOut(order, steps), where));
  const fitted = shrinkToFit({ build, steps: order.length, estimate: estimateSizes(order, rows, build) }, options.maxBytes);
  if (fitted.fits) return fitted.text;
  return truncateMarkdown(fitted.text, options.maxBytes, `_Report cut here to stay within the size limit: the full report is in ${where}._`);
}

/** A part's rows without those left out, and a line saying how many are where. */
function keepRows(rows: readonly string[], leftOut: ReadonlySet<number>, where: string): { kept: string[]; note: string[] } {
  const kept = rows.filter((_, i) => !leftOut.has(i));
  const note = leftOut.size > 0 ? [`_${leftOut.size} more ${leftOut.size === 1 ? 'row' : 'rows'} in ${where}._`, ''] : [];
  return { kept, note };
}

function renderTable(title: string, head: readonly string[], rows: readonly string[], leftOut: ReadonlySet<number>, where: string): string[] {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  return [`### ${title}`, '', ...(kept.length > 0 ? [...head, ...kept, ''] : []), ...note];
}

interface DetailContext {
  compared: readonly boolean[];
  head: readonly string[];
  /** What `compared` means in words: with the baseline, or head against base. */
  comparedWith: string;
}

function renderDetail(rows: readonly string[], context: DetailContext, leftOut: ReadonlySet<number>, where: string): string[] {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  const onlyCompared = kept.length > 0 && rows.every((_, i) => leftOut.has(i) || context.compared[i]);
  const count = kept.length === rows.length ? `${rows.length}` : `${kept.length} of ${rows.length} shown${onlyCompared ? `: those compared ${context.comparedWith}` : ''}`;
  return [`<details><summary>All other metrics (${count})</summary>`, '', ...(kept.length > 0 ? [...context.head, ...kept, ''] : []), ...note, '</details>', ''];
}

function renderThresholdsChange(rows: readonly string[], leftOut: ReadonlySet<number>, where: string): string[] {
  if (rows.length === 0) return [];
  const { kept, note } = keepRows(rows, leftOut, where);
  return ['### thresholds.json changed in this pull request', '', ...kept, '', ...note];
}

function renderBody(comparison: Comparison, options: MarkdownOptions, rows: Rows, flags: RowFlags, leftOut: LeftOut, where: string): string {
  const chart = renderTrendChart(comparison);
  const heads = tableHeads(comparison);
  const duetLine = renderDuetLine(comparison);
  const comparedWith = comparison.mode === 'duet' ? 'head against base' : 'with the baseline';
  return [
    ...(options.marker ? [options.marker] : []),
    renderHeadline(comparison),
    ...(duetLine ? [duetLine] : []),
    ...(options.notes ?? []).map((note) => `> ℹ️ ${escapeMarkdown(note)}`),
    '',
    ...renderFingerprintNotes(comparison),
    ...renderCostSection(comparison.cost, where),
    ...renderTable('Regressions and breaches', heads.verdict, rows.attention, leftOut.attention, where),
    ...renderTable('Failed checks', CHECK_HEAD, rows.checks, leftOut.checks, where),
    ...renderTable(`Scenarios (${rows.scenarios.length})`, heads.scenario, rows.scenarios, leftOut.scenarios, where),
    ...renderTable('Improvements', heads.verdict, rows.improvements, leftOut.improvements, where),
    ...renderDetail(rows.detail, { compared: flags.compared, head: heads.verdict, comparedWith }, leftOut.detail, where),
    ...(chart ? ['### Trend', '', chart, ''] : []),
    ...renderEnvironment(comparison),
    ...renderThresholdsChange(rows.thresholds, leftOut.thresholds, where),
    '### Reproduce locally',
    '',
    ...options.reproduce,
    '',
  ].join('\n');
}
