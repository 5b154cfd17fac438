/**
 * The cost part of the reports (pure): one line per operation whose counts or plans changed, base
 * -> head (`bench.query.get_by_email: 1 -> 1 statements; plan Index Scan using users_email_unique
 * on users -> Seq Scan on users; rows examined 1 -> 10,000`), the statements added and removed
 * folded under it, and the operations whose statements grow with their size (the N+1 check).
 * Operations whose buffers alone changed, or that one side only has, are in comparison.json only.
 */
import type { CostFinding, StatementDelta } from '../cost/cost-findings.js';
import type { CostComparison, CostCounts, CostGrowthVerdict, CostOperationVerdict } from '../verdict/cost-types.js';
import { escapeMarkdown } from './escape.js';
import { measureBytes } from './fit-markdown.js';

/** The most the Cost section takes of a comment, bytes: the rest of the report keeps its room. */
export const COST_SECTION_MAX_BYTES = 16_384;

/** Longest statement text shown in a folded list, characters. */
const SQL_MAX_CHARS = 300;

const LISTED: ReadonlySet<CostOperationVerdict['status']> = new Set(['regressed', 'improved', 'changed', 'errored']);

const grouped = (n: number): string => n.toLocaleString('en-US');

/** Scan and join nodes of a plan (what a reader recognises), else all of it, on one line. */
function planLine(nodes: readonly string[]): string {
  const trimmed = nodes.map((n) => n.trim());
  const scans = trimmed.filter((n) => / on |Join|Nested Loop/.test(n));
  return (scans.length > 0 ? scans : trimmed).join(', ');
}

function changeOf(name: string, base: number | null, head: number | null): string | undefined {
  return base === head || base === null || head === null ? undefined : `${name} ${grouped(base)} -> ${grouped(head)}`;
}

function describeFinding(finding: CostFinding): string | undefined {
  switch (finding.kind) {
    case 'new-seq-scan':
      return `new sequential scan of ${finding.table}`;
    case 'index-unused':
      return `index ${finding.index} no longer used`;
    case 'more-rows':
      return 'more rows fetched';
    case 'incomparable':
      return finding.reason;
    default:
      return undefined;
  }
}

/** One operation's line in plain words (the console prints it as it is; the comment escapes it). */
export function describeCostChange(verdict: CostOperationVerdict): string {
  if (verdict.status === 'errored') return `${verdict.operation}: could not be counted: ${verdict.error?.name ?? 'Error'}: ${verdict.error?.message ?? ''}`;
  const base: CostCounts | null = verdict.base;
  const head: CostCounts | null = verdict.head;
  const parts = [`${verdict.operation}: ${base?.statements ?? '?'} -> ${head?.statements ?? '?'} statements`];
  const extra = [
    changeOf('round trips', base?.roundTrips ?? null, head?.roundTrips ?? null),
    changeOf('rows returned', base?.rowsReturned ?? null, head?.rowsReturned ?? null),
    ...verdict.findings.flatMap((f) => (f.kind === 'plan-changed' ? [`plan ${planLine(f.base)} -> ${planLine(f.head)}`] : [])),
    changeOf('rows examined', base?.rowsExamined ?? null, head?.rowsExamined ?? null),
    changeOf('buffers (reported only)', base?.sharedBuffers ?? null, head?.sharedBuffers ?? null),
  ];
  parts.push(...extra.filter((part): part is string => part !== undefined));
  const reasons = verdict.findings.map(describeFinding).filter((r): r is string => r !== undefined);
  if (verdict.findings.some((f) => f.kind === 'fingerprints-changed')) reasons.push('statements changed, same counts');
  return `${parts.join('; ')}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`;
}

function label(verdict: CostOperationVerdict): string {
  if (verdict.status === 'regressed') return verdict.severity === 'fail' ? 'regressed' : 'regressed (warn)';
  return verdict.status === 'errored' ? 'not counted' : verdict.status;
}

const ICONS: Readonly<Record<string, string>> = { regressed: '❌', improved: '✅', changed: 'ℹ️', errored: '⚠️' };

function iconOf(verdict: CostOperationVerdict): string {
  return verdict.status === 'regressed' && verdict.severity === 'warn' ? '⚠️' : (ICONS[verdict.status] ?? 'ℹ️');
}

/** A statement for a folded code block: one line, no fence, at most SQL_MAX_CHARS. */
function codeLine(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim().replace(/```/g, "'''");
  return line.length > SQL_MAX_CHARS ? `${line.slice(0, SQL_MAX_CHARS - 3)}...` : line;
}

function statementLines(sign: '+' | '-', deltas: readonly StatementDelta[]): string[] {
  return deltas.map((d) => `${sign} ${d.times}x ${codeLine(d.normalized)}`);
}

function foldedStatements(summary: string, lines: readonly string[]): string[] {
  if (lines.length === 0) return [];
  return [`  <details><summary>${summary}</summary>`, '', '  ```diff', ...lines.map((l) => `  ${l}`), '  ```', '  </details>', ''];
}

/** Escaped for the comment, with the arrows as arrows (escaping makes `->` into `-&gt;`). */
const markdownWords = (text: string): string => escapeMarkdown(text).replace(/ -&gt; /g, ' → ');

function renderOperation(verdict: CostOperationVerdict): string[] {
  const line = `- ${iconOf(verdict)} **${escapeMarkdown(label(verdict))}** ${markdownWords(describeCostChange(verdict))}`;
  const lines = verdict.findings.flatMap((f) =>
    f.kind === 'more-statements' || f.kind === 'fewer-statements' || f.kind === 'fingerprints-changed'
      ? [...statementLines('+', f.added), ...statementLines('-', f.removed)]
      : [],
  );
  return [line, ...foldedStatements('Statements added (+) and removed (-) per call', lines)];
}

/** The N+1 check's line for a family, in plain words. */
export function describeGrowth(growth: CostGrowthVerdict): string {
  const { sizes, statements } = growth.finding;
  return `${growth.family}: ${statements[0]} statements per call at size ${sizes[0]} -> ${statements[1]} at size ${sizes[1]} (statements grow with the size: N+1)`;
}

function renderGrowth(growth: CostGrowthVerdict): string[] {
  const icon = growth.severity === 'fail' ? '❌' : '⚠️';
  const lines = growth.finding.growing.map((s) => `+ ${s.times[0]}x -> ${s.times[1]}x ${codeLine(s.normalized)}`);
  return [`- ${icon} ${markdownWords(describeGrowth(growth))}`, ...foldedStatements('Statements sent more often at the larger size', lines)];
}

function againstWords(cost: CostComparison): string {
  switch (cost.against.kind) {
    case 'base':
      return 'head against base';
    case 'baseline':
      return `against the baseline ${cost.against.sha ? `\`${cost.against.sha.slice(0, 7).replace(/[^0-9A-Za-z]/g, '')}\`` : 'run'}`;
    case 'none':
      return `not compared (${escapeMarkdown(cost.against.reason)})`;
  }
}

/**
 * The comment's Cost section, at most COST_SECTION_MAX_BYTES: empty when nothing changed and no
 * operation grows with its size. Operations that do not fit are counted, with where to read them.
 */
export function renderCostSection(cost: CostComparison | undefined, where: string): string[] {
  if (!cost) return [];
  const listed = cost.operations.filter((v) => LISTED.has(v.status));
  if (listed.length === 0 && cost.growth.length === 0) return [];
  const source = cost.planSource.kind === 'auto_explain' ? 'executed plans (auto_explain)' : `estimated plans of SELECTs only (${escapeMarkdown(cost.planSource.reason)})`;
  const head = ['### Cost', '', `Statements, rows and plans per operation, counted exactly, ${againstWords(cost)}; ${source}.`, ''];
  const blocks = [...cost.growth.map(renderGrowth), ...listed.map(renderOperation)];
  const kept: string[] = [];
  let bytes = measureBytes(head.join('\n'));
  let left = 0;
  for (const block of blocks) {
    const size = measureBytes(block.join('\n')) + 1;
    if (left > 0 || bytes + size > COST_SECTION_MAX_BYTES - 200) {
      left += 1;
      continue;
    }
    kept.push(...block);
    bytes += size;
  }
  const note = left > 0 ? ['', `_${left} more changed ${left === 1 ? 'operation' : 'operations'} in ${where}._`] : [];
  return [...head, ...kept, ...note, ''];
}

/** The console's cost lines: one per changed operation (and per family that grows with its size). */
export function renderCostConsole(cost: CostComparison | undefined): string[] {
  if (!cost) return [];
  const listed = cost.operations.filter((v) => LISTED.has(v.status));
  const lines = [...cost.growth.map((g) => `cost ${g.severity === 'fail' ? 'regressed' : 'regressed (warn)'} ${describeGrowth(g)}`), ...listed.map((v) => `cost ${label(v)} ${describeCostChange(v)}`)];
  if (cost.against.kind === 'none') lines.push(`cost: not compared (${cost.against.reason})`);
  return lines;
}
