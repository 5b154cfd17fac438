/**
 * The lengths that a fingerprint folds away: `IN (...)` lists, `= ANY(ARRAY[...])` and
 * `= ANY($n)` arrays, and the rows of `VALUES` lists. libpg_query gives `IN (1,2,3)` and `IN (1)`
 * the same fingerprint (so do a one-row and a two-row `INSERT ... VALUES`); a batch that grows or an
 * IN list that fetches more keys would otherwise be invisible, so they are recorded apart.
 */

/** The lengths found in one parse tree, in the order the tree walk meets them. */
export interface ListLengths {
  /** Elements of each `IN (...)` list and `ANY(ARRAY[...])` literal. */
  readonly inLengths: readonly number[];
  /** Rows of each `VALUES` list (an INSERT's rows, or a standalone VALUES). */
  readonly valuesLengths: readonly number[];
  /** Parameter numbers used as `op ANY($n)` / `op ALL($n)`: their array lengths are known only per call. */
  readonly anyParameters: readonly number[];
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listLength(value: unknown): number | undefined {
  if (!isNode(value) || !isNode(value.List)) return undefined;
  const items = value.List.items;
  return Array.isArray(items) ? items.length : 0;
}

function visitExpression(expression: Node, found: { inLengths: number[]; anyParameters: number[] }): void {
  const kind = expression.kind;
  if (kind === 'AEXPR_IN') {
    const length = listLength(expression.rexpr);
    if (length !== undefined) found.inLengths.push(length);
  } else if (kind === 'AEXPR_OP_ANY' || kind === 'AEXPR_OP_ALL') {
    const right = expression.rexpr;
    if (isNode(right) && isNode(right.A_ArrayExpr)) {
      const elements = right.A_ArrayExpr.elements;
      found.inLengths.push(Array.isArray(elements) ? elements.length : 0);
    }
    const parameter = isNode(right) ? findParameter(right) : undefined;
    if (parameter !== undefined) found.anyParameters.push(parameter);
  }
}

/** `$n`, also under a cast (`$1::int[]`). */
function findParameter(node: Node): number | undefined {
  if (isNode(node.ParamRef) && typeof node.ParamRef.number === 'number') return node.ParamRef.number;
  if (isNode(node.TypeCast) && isNode(node.TypeCast.arg)) return findParameter(node.TypeCast.arg);
  return undefined;
}

/** Walks a libpg_query JSON parse tree and collects the folded lengths. */
export function findListLengths(tree: unknown): ListLengths {
  const found = { inLengths: [] as number[], valuesLengths: [] as number[], anyParameters: [] as number[] };
  const stack: unknown[] = [tree];
  // Depth-first in document order (children pushed in reverse), so the order is the SQL's order.
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    if (!isNode(value)) continue;
    if (isNode(value.A_Expr)) visitExpression(value.A_Expr, found);
    if (isNode(value.SelectStmt) && Array.isArray(value.SelectStmt.valuesLists) && value.SelectStmt.valuesLists.length > 0) {
      found.valuesLengths.push(value.SelectStmt.valuesLists.length);
    }
    const children = Object.values(value);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return found;
}
