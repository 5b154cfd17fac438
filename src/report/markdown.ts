import type { Comparison, FailedCheck, MetricVerdict } from '../verdict/types.js';
import { escapeMarkdown } from './escape.js';
import {
  formatBaseline,
  formatChange,
  formatCheckOutcome,
  formatCurrent,
  formatDuration,
  formatEvidence,
  formatNumber,
  formatValue,
} from './format.js';
import { renderTrendChart } from './trend-chart.js';

/** First line of every perf-gate comment, so the sticky comment can find its own. */
export const COMMENT_MARKER = '<!-- perf-gate -->';

/** GitHub refuses comment bodies of more characters than this. */
export const MAX_COMMENT_LENGTH = 65_536;

export interface MarkdownOptions {
  /** Changes to thresholds.json in this pull request: a diff text or a list of changes. */
  thresholdsChange?: string | readonly string[];
  /** Upper bound of the body length (default 65,536, GitHub's limit). */
  maxLength?: number;
}

const TABLE_HEAD = ['| Scenario | Metric | Baseline | Now | Change | Evidence |', '| --- | --- | --- | --- | --- | --- |'];

function renderRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdown).join(' | ')} |`;
}

function renderVerdictRow(verdict: MetricVerdict): string {
  const relative = 'relative' in verdict ? verdict.relative : null;
  const warning = verdict.severity === 'warn' && (verdict.kind === 'regressed' || verdict.kind === 'breached');
  const evidence = [warning ? 'warning' : '', formatEvidence(verdict), ...verdict.notes].filter(Boolean).join('; ');
  const cells = [verdict.scenarioId, verdict.metric, formatBaseline(verdict), formatCurrent(verdict), formatChange(relative), evidence];
  return renderRow(cells);
}

function renderCheckRow(failed: FailedCheck): string {
  const { check } = failed;
  return renderRow([failed.scenarioId, check.name, check.expected, String(check.measured), formatCheckOutcome(failed)]);
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

function renderTable(title: string, rows: readonly string[], head = TABLE_HEAD): string[] {
  return rows.length === 0 ? [] : [`### ${title}`, '', ...head, ...rows, ''];
}

function isAttention(v: MetricVerdict): boolean {
  return v.kind === 'regressed' || v.kind === 'breached' || v.kind === 'errored';
}

function renderFingerprintNotes(comparison: Comparison): string[] {
  const { differences, policy } = comparison.fingerprint;
  if (differences.length === 0) return [];
  const what = differences.map((d) => `${d.field} ${d.baseline} → ${d.current}`).join(', ');
  const effect = policy === 'warn' ? 'relative regressions are warnings, not failures' : 'relative regressions still fail';
  return [`> ⚠️ The environment differs from the baseline's (${escapeMarkdown(what)}): ${effect}.`, ''];
}

function renderEnvironment(comparison: Comparison): string[] {
  const { environment: e, calibration: c, history } = comparison;
  const rows = [
    ['PostgreSQL', e.postgres.version],
    ['Node.js', e.node.version],
    ['CPU', `${e.cpu.count} × ${e.cpu.model}`],
    ['OS', `${e.os.platform} ${e.os.release} ${e.os.arch}`],
    ['Pool', `size ${e.pool.size}, overflow ${e.pool.maxOverflow}, timeout ${e.pool.timeoutSeconds} s`],
    ['History', `${history.runs} runs (noise needs ${history.minHistory})`],
    ['Machine-speed factor', c.factor === null ? 'n/a (no calibration baseline)' : `${formatNumber(c.factor)} (raw pg get-by-id p50 vs history median)`],
  ];
  const calibration = Object.entries(c.current).map(([name, s]) => [
    `calibration ${name}`,
    `avg ${formatValue(s.avg, 'ms')}, p50 ${formatValue(s.p50, 'ms')}, p95 ${formatValue(s.p95, 'ms')}, n ${s.n}`,
  ]);
  const table = [...rows, ...calibration].map((cells) => renderRow(cells));
  return ['<details><summary>Environment and calibration</summary>', '', '| | |', '| --- | --- |', ...table, '', '</details>', ''];
}

function renderThresholdsChange(change: MarkdownOptions['thresholdsChange']): string[] {
  if (change === undefined || change.length === 0) return [];
  const lines = typeof change === 'string' ? change.split(/\r?\n/) : [...change];
  const body = lines.map((line) => `- ${escapeMarkdown(line)}`);
  return ['### thresholds.json changed in this pull request', '', ...body, ''];
}

/** The folded table of everything else, with at most `limit` rows. */
function renderFolded(rows: readonly string[], limit: number): string[] {
  if (rows.length === 0) return [];
  const kept = rows.slice(0, limit);
  const cut = rows.length - kept.length;
  const note = cut > 0 ? [`_${cut} more rows left out to stay under the comment size limit._`, ''] : [];
  return [`<details><summary>All other verdicts (${rows.length})</summary>`, '', ...TABLE_HEAD, ...kept, '', ...note, '</details>', ''];
}

const REPRODUCE = ['### Reproduce locally', '', '```sh', 'npm ci && npm start', '```', ''];

/**
 * The pull-request comment and job summary: marker, headline, regressions and breaches, improvements,
 * everything else folded, the trend chart, environment and calibration, and how to reproduce. Every
 * name and value from data is escaped. The body stays under `maxLength`: the folded table is cut first.
 */
export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MAX_COMMENT_LENGTH;
  const attention = comparison.verdicts.filter(isAttention).map(renderVerdictRow);
  const improved = comparison.verdicts.filter((v) => v.kind === 'improved').map(renderVerdictRow);
  const rest = comparison.verdicts.filter((v) => !isAttention(v) && v.kind !== 'improved').map(renderVerdictRow);
  const checkHead = ['| Scenario | Check | Expected | Measured | Outcome |', '| --- | --- | --- | --- | --- |'];
  const chart = renderTrendChart(comparison);
  const build = (limit: number): string =>
    [
      COMMENT_MARKER,
      renderHeadline(comparison),
      '',
      ...renderFingerprintNotes(comparison),
      ...renderTable('Regressions and breaches', attention),
      ...renderTable('Failed checks', comparison.failedChecks.map(renderCheckRow), checkHead),
      ...renderTable('Improvements', improved),
      ...renderFolded(rest, limit),
      ...(chart ? ['### Key latencies', '', chart, ''] : []),
      ...renderEnvironment(comparison),
      ...renderThresholdsChange(options.thresholdsChange),
      ...REPRODUCE,
    ].join('\n');
  return fitLength(build, rest, maxLength);
}

/** Shrinks the folded table until the body fits; cuts the end as a last resort, and says so. */
function fitLength(build: (limit: number) => string, rows: readonly string[], maxLength: number): string {
  const rowLength = rows.reduce((sum, row) => sum + row.length + 1, 0) / Math.max(rows.length, 1);
  let limit = rows.length;
  let body = build(limit);
  while (body.length > maxLength && limit > 0) {
    limit = Math.max(0, limit - Math.ceil((body.length - maxLength) / rowLength));
    body = build(limit);
  }
  if (body.length <= maxLength) return body;
  const notice = '\n\n_Report cut to stay under the comment size limit._\n';
  return body.slice(0, maxLength - notice.length) + notice;
}
