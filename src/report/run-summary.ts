import type { ResultsDocument, ScenarioResult } from '../results/types.js';
import { escapeConsole } from './escape.js';

const fmt = (value: number | undefined, digits = 3): string =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);

function row(scenario: ScenarioResult): string[] {
  const m = scenario.metrics;
  const failed = scenario.checks.filter((c) => !c.passed).map((c) => c.name);
  const note = scenario.status === 'errored' ? `${scenario.error.name}: ${scenario.error.message}` : failed.join(', ');
  return [
    escapeConsole(scenario.id),
    scenario.status,
    fmt(m.avg_ms?.value),
    fmt(m.cpu_per_call_ms?.value),
    fmt(m.p95_ms?.value),
    fmt(m.ops_per_sec?.value, 0),
    `${scenario.checks.filter((c) => c.passed).length}/${scenario.checks.length}`,
    `${(scenario.wallMs / 1000).toFixed(2)}s`,
    escapeConsole(note).slice(0, 100),
  ];
}

/** Columns padded to their widest cell, under a header and a rule. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The run's own summary for the terminal: every scenario, per-category wall time, calibration. */
export function renderRunSummary(doc: ResultsDocument): string {
  const header = ['scenario', 'status', 'avg ms', 'cpu ms/call', 'p95 ms', 'ops/s', 'checks', 'wall', 'failed checks / error'];
  const counts = { passed: 0, failed: 0, errored: 0 };
  for (const s of doc.scenarios) counts[s.status]++;
  const categories = Object.entries(doc.timings.categories)
    .map(([name, t]) => `${name} ${((t?.wallMs ?? 0) / 1000).toFixed(1)}s`)
    .join(', ');
  const c = doc.calibration;
  return [
    table(header, doc.scenarios.map(row)),
    '',
    `${doc.scenarios.length} scenarios: ${counts.passed} passed, ${counts.failed} failed, ${counts.errored} errored`,
    `time: setup ${(doc.timings.setupMs / 1000).toFixed(1)}s, ${categories}; total ${(doc.timings.totalMs / 1000).toFixed(1)}s`,
    `calibration (avg ms): raw select 1 ${fmt(c.rawSelectOne.avg)}; get-by-id raw ${fmt(c.rawGetById.avg)} / repository ${fmt(c.repoGetById.avg)} = ${fmt(c.repoGetById.avg / c.rawGetById.avg, 2)}x; insert raw ${fmt(c.rawInsert.avg)} / repository ${fmt(c.repoInsert.avg)} = ${fmt(c.repoInsert.avg / c.rawInsert.avg, 2)}x`,
    `environment: PostgreSQL ${doc.environment.postgres.version}, Node ${doc.environment.node.version}, ${doc.environment.cpu.count} x ${doc.environment.cpu.model}; seed ${doc.run.seed}`,
    '',
  ].join('\n');
}
