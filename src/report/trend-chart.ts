import type { Trend } from '../verdict/types.js';
import { escapeMarkdown, escapeMermaidLabel } from './escape.js';
import { formatNumber } from './format.js';

/** How many trends one chart holds: more lines than this cannot be told apart. */
const MAX_LINES = 4;

/**
 * A mermaid `xychart-beta` of key latencies over the history window (oldest left, this run right),
 * with a legend underneath, since xychart lines carry no names. Empty when there is nothing to draw.
 */
export function renderTrendChart(trends: readonly Trend[]): string {
  const shown = trends.slice(0, MAX_LINES);
  const first = shown[0];
  if (!first || first.labels.length < 2) return '';
  const values = shown.flatMap((t) => t.values.filter((v): v is number => v !== null));
  const top = Math.max(...values) * 1.1 || 1;
  const labels = first.labels.map((label) => `"${escapeMermaidLabel(label)}"`).join(', ');
  const lines = shown.map((t) => `  line [${t.values.map((v) => formatNumber(v ?? 0)).join(', ')}]`);
  const legend = shown.map((t, i) => `${i + 1}. ${escapeMarkdown(`${t.scenarioId} ${t.metric}`)}`);
  return [
    '```mermaid',
    'xychart-beta',
    '  title "Key latencies (ms), oldest to this run"',
    `  x-axis [${labels}]`,
    `  y-axis "ms" 0 --> ${formatNumber(top)}`,
    ...lines,
    '```',
    '',
    `Lines, in order: ${legend.join(', ')}`,
  ].join('\n');
}
