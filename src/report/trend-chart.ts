import { isFlaggedLatency } from '../verdict/trends.js';
import type { Comparison, MetricVerdict, Trend } from '../verdict/types.js';
import { escapeMarkdown, escapeMermaidLabel } from './escape.js';
import { formatNumber } from './format.js';

/**
 * The line colours, in order, with the emoji square and name the legend uses for each. Every colour
 * has at least 3:1 contrast on GitHub's light (#ffffff) and dark (#0d1117) page, which mermaid's
 * own palettes do not (its default theme starts with a pale lavender).
 */
export const TREND_PALETTE = [
  { color: '#2f81f7', square: '🟦', name: 'blue' },
  { color: '#e8590c', square: '🟧', name: 'orange' },
  { color: '#2f9e44', square: '🟩', name: 'green' },
  { color: '#8b5cf6', square: '🟪', name: 'purple' },
  { color: '#e03131', square: '🟥', name: 'red' },
] as const;

/**
 * The init directive: our palette, and a chart wide enough (900 px, scaled down by the page) with
 * 12 px x labels, so eleven labels like `10:ea74ed6` sit side by side instead of over each other.
 */
const INIT_DIRECTIVE = `%%{init: ${JSON.stringify({
  xyChart: { width: 900, xAxis: { labelFontSize: 12 } },
  themeVariables: { xyChart: { plotColorPalette: TREND_PALETTE.map((p) => p.color).join(', ') } },
})}}%%`;

/** The y range always spans at least this share of the largest value, so noise stays small. */
const MIN_SPAN_SHARE = 0.2;

/** The smallest of 1, 2 or 5 × 10^k that is at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const mantissa = [1, 2, 5, 10].find((m) => m * power >= rough) ?? 10;
  return mantissa * power;
}

/**
 * The y-axis range: the values with a margin, on round numbers, starting at 0 only when the values
 * come near it. A chart from 0 would flatten a change of 0.30 -> 0.40 ms into the bottom third.
 */
export function computeAxisRange(values: readonly number[]): { lo: string; hi: string } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = Math.max(max - min, MIN_SPAN_SHARE * Math.abs(max)) || 1;
  const middle = (min + max) / 2;
  const low = Math.min(min, middle - span / 2) - span / 10;
  const high = Math.max(max, middle + span / 2) + span / 10;
  const step = niceStep((high - low) / 5);
  // Rounded to the step's decimals: 14 * 0.02 is 0.28000000000000003 in floating point.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const round = (value: number): string => String(Number(value.toFixed(decimals)));
  return { lo: round(Math.max(0, Math.floor(low / step) * step)), hi: round(Math.ceil(high / step) * step) };
}

/** Mermaid labels, distinct even if the input repeats one: equal categories share one x. */
function renderLabels(labels: readonly string[]): string {
  const escaped = labels.map(escapeMermaidLabel);
  const distinct = new Set(escaped).size === escaped.length ? escaped : escaped.map((l, i) => `${i + 1} ${l.slice(0, 30)}`);
  return distinct.map((label) => `"${label}"`).join(', ');
}

/** Why a line is in the chart, when it is there for more than being a key latency. */
function describeFlag(verdicts: readonly MetricVerdict[], trend: Trend): string {
  const verdict = verdicts.find((v) => v.scenarioId === trend.scenarioId && v.metric === trend.metric);
  if (!verdict || !isFlaggedLatency(verdict)) return '';
  return `, ${verdict.kind}${verdict.severity === 'warn' ? ' (warning)' : ''}`;
}

/** Flagged latencies the chart does not draw, named so a reader does not look for them in it. */
function renderUndrawn(verdicts: readonly MetricVerdict[], shown: readonly Trend[]): string[] {
  const drawn = new Set(shown.map((t) => `${t.scenarioId} ${t.metric}`));
  const names = verdicts.filter(isFlaggedLatency).map((v) => `${v.scenarioId} ${v.metric}`).filter((name) => !drawn.has(name));
  if (names.length === 0) return [];
  const listed = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
  return ['', `_Not drawn (another scale, a gap in the history, or beyond ${TREND_PALETTE.length} lines): ${escapeMarkdown(listed)}._`];
}

/**
 * A mermaid `xychart-beta` of latencies over the history window (oldest left, this run right): the
 * regressed ones first, then the key latencies. Its colours are set by an init directive, and a legend
 * underneath names each line by colour, since xychart lines carry no names. Empty when there is
 * nothing to draw.
 */
export function renderTrendChart(comparison: Pick<Comparison, 'trends' | 'verdicts'>): string {
  const shown = comparison.trends.slice(0, TREND_PALETTE.length);
  const first = shown[0];
  if (!first || first.labels.length < 2) return '';
  const range = computeAxisRange(shown.flatMap((t) => t.values.filter((v): v is number => v !== null)));
  const lines = shown.map((t) => `  line [${t.values.map((v) => formatNumber(v ?? 0)).join(', ')}]`);
  const legend = shown.map((t, i) => {
    const { square, name } = TREND_PALETTE[i] ?? TREND_PALETTE[0];
    return `- ${square} ${name}: ${escapeMarkdown(`${t.scenarioId} ${t.metric}`)}${describeFlag(comparison.verdicts, t)}`;
  });
  return [
    '```mermaid',
    INIT_DIRECTIVE,
    'xychart-beta',
    '  title "Latency (ms), oldest run to this run"',
    `  x-axis [${renderLabels(first.labels)}]`,
    `  y-axis "ms" ${range.lo} --> ${range.hi}`,
    ...lines,
    '```',
    '',
    ...legend,
    '',
    '_x axis: history run (1 = oldest) and its commit._',
    ...renderUndrawn(comparison.verdicts, shown),
  ].join('\n');
}
