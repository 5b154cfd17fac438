/**
 * A plan reduced to what must not change without a reason: its shape (node types, relations,
 * indexes, join types and aggregate strategies, in tree order, no costs, timings or row counts),
 * the sequential scans and indexes in it, and, for an executed plan, the rows it read and threw
 * away and the shared buffers it touched.
 *
 * Reads only keys PostgreSQL 15 and 18 both write in JSON EXPLAIN output; 18's additions
 * ("Disabled", "Index Searches", fractional "Actual Rows") are ignored.
 */
import { createHash } from 'node:crypto';

/** The shape of a plan, comparable across runs and machines. */
export interface PlanShape {
  /** 16 hex digits of sha256 over `nodes`. */
  readonly hash: string;
  /** One line per node in tree order, indented two spaces per level: `Index Scan using users_pkey on users`. */
  readonly nodes: readonly string[];
  /** Tables read by a Seq Scan, in tree order. */
  readonly seqScans: readonly string[];
  /** Indexes read (Index Scan, Index Only Scan, Bitmap Index Scan), in tree order. */
  readonly indexes: readonly string[];
}

/** What an executed plan did (EXPLAIN ANALYZE / auto_explain with log_analyze). */
export interface PlanTotals {
  /** Rows read and discarded by filters and join filters, over all loops of all nodes. */
  readonly rowsRemovedByFilter: number;
  /** Shared hit + read blocks of the execution (planning excluded); undefined without BUFFERS. */
  readonly sharedBuffers: number | undefined;
}

/** A plan's shape, and its totals when it was executed. */
export interface PlanSummary {
  readonly shape: PlanShape;
  readonly totals: PlanTotals | undefined;
}

type PlanNode = Record<string, unknown>;

function text(node: PlanNode, key: string): string | undefined {
  const value = node[key];
  return typeof value === 'string' ? value : undefined;
}

function number(node: PlanNode, key: string): number | undefined {
  const value = node[key];
  return typeof value === 'number' ? value : undefined;
}

function children(node: PlanNode): PlanNode[] {
  const plans = node.Plans;
  return Array.isArray(plans) ? plans.filter((child): child is PlanNode => typeof child === 'object' && child !== null) : [];
}

/** A node as EXPLAIN's text format would name it, without numbers: `Hash Join (Left)`, `Update on users`. */
export function describePlanNode(node: PlanNode): string {
  const type = text(node, 'Node Type') ?? '?';
  const relation = text(node, 'Relation Name');
  const parts = [type === 'ModifyTable' ? (text(node, 'Operation') ?? type) : type];
  const index = text(node, 'Index Name');
  if (index) parts.push(`using ${index}`);
  const target = relation ?? text(node, 'CTE Name') ?? text(node, 'Function Name');
  if (target) parts.push(`on ${target}`);
  const join = text(node, 'Join Type');
  if (join) parts.push(`(${join})`);
  const strategy = text(node, 'Strategy');
  if (strategy) parts.push(`[${strategy}]`);
  // InitPlans and SubPlans hang under the node that uses them; say so, the indent alone would not.
  const relationship = text(node, 'Parent Relationship');
  const prefix = relationship === 'InitPlan' || relationship === 'SubPlan' ? `${relationship}: ` : '';
  return prefix + parts.join(' ');
}

function walk(root: PlanNode, visit: (node: PlanNode, depth: number) => void): void {
  const stack: Array<[PlanNode, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    visit(node, depth);
    const below = children(node);
    for (let i = below.length - 1; i >= 0; i--) stack.push([below[i]!, depth + 1]);
  }
}

function removedRows(node: PlanNode): number {
  // EXPLAIN prints these per loop (divided by loops, rounded); times loops gives the total read.
  const perLoop = (number(node, 'Rows Removed by Filter') ?? 0) + (number(node, 'Rows Removed by Join Filter') ?? 0);
  return perLoop * (number(node, 'Actual Loops') ?? 1);
}

/** Summarises the root node ("Plan") of a JSON plan. */
export function summarisePlan(root: PlanNode): PlanSummary {
  const nodes: string[] = [];
  const seqScans: string[] = [];
  const indexes: string[] = [];
  let rowsRemovedByFilter = 0;
  walk(root, (node, depth) => {
    nodes.push('  '.repeat(depth) + describePlanNode(node));
    const relation = text(node, 'Relation Name');
    if (text(node, 'Node Type') === 'Seq Scan' && relation) seqScans.push(relation);
    const index = text(node, 'Index Name');
    if (index) indexes.push(index);
    rowsRemovedByFilter += removedRows(node);
  });
  const hash = createHash('sha256').update(nodes.join('\n')).digest('hex').slice(0, 16);
  const executed = number(root, 'Actual Loops') !== undefined;
  // A parent's buffer counts include its children's, so the root's are the statement's total.
  const hit = number(root, 'Shared Hit Blocks');
  const read = number(root, 'Shared Read Blocks');
  const sharedBuffers = hit === undefined && read === undefined ? undefined : (hit ?? 0) + (read ?? 0);
  return {
    shape: { hash, nodes, seqScans, indexes },
    totals: executed ? { rowsRemovedByFilter: Math.round(rowsRemovedByFilter), sharedBuffers } : undefined,
  };
}
